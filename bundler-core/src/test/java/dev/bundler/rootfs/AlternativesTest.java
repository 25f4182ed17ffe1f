package dev.bundler.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.LayerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AlternativesTest {
  private static final String MAWK =
      """
      #!/bin/sh
      set -e
      if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ]; then
              update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\
                  --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/mawk.1.gz \\
                  --slave /usr/bin/nawk nawk /usr/bin/mawk
      fi
      """;
  private static final String GAWK =
      "update-alternatives --install /usr/bin/awk awk /usr/bin/gawk 10 --slave /usr/bin/nawk nawk /usr/bin/gawk\n";
  private static final String UWSGI =
      """
      case "$1" in
          configure)
            update-alternatives --quiet \\
              --install \\
                /usr/bin/uwsgi \\
                uwsgi \\
                /usr/bin/uwsgi-core \\
                75
          ;;
      esac
      # update-alternatives --install /usr/bin/never never /x 1
      update-alternatives --install /usr/bin/$NAME x /y 1
      """;

  @Test
  void readsInstallsFromPostinstScripts() {
    List<String> unreadable = new ArrayList<>();
    List<Alternative> mawk = Alternative.fromScript("mawk", MAWK, unreadable);
    assertThat(mawk).hasSize(1);
    assertThat(mawk.get(0).link()).isEqualTo("/usr/bin/awk");
    assertThat(mawk.get(0).priority()).isEqualTo(5);
    assertThat(mawk.get(0).slaves()).extracting(Alternative.Slave::name).containsExactly("awk.1.gz", "nawk");

    List<Alternative> uwsgi = Alternative.fromScript("uwsgi-core", UWSGI, unreadable);
    assertThat(uwsgi).singleElement().satisfies(a -> {
      assertThat(a.path()).isEqualTo("/usr/bin/uwsgi-core");
      assertThat(a.priority()).isEqualTo(75);
    });
    assertThat(unreadable).singleElement().asString().contains("$NAME");
  }

  @Test
  void highestPriorityPresentPathWinsAndMissingSlavesAreLeftOut() {
    List<Alternative> all = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    all.addAll(Alternative.fromScript("mawk", MAWK, ignored));
    all.addAll(Alternative.fromScript("gawk", GAWK, ignored));
    all.addAll(Alternative.fromScript("uwsgi-core", UWSGI, ignored));
    FileTree tree =
        FileTree.of(List.of(List.of(
            LayerEntry.text("usr/bin/mawk", 0755, "m"),
            LayerEntry.text("usr/bin/uwsgi-core", 0755, "u"))));

    Map<String, LayerEntry> entries =
        Alternatives.entries(all, tree).stream()
            .collect(Collectors.toMap(LayerEntry::path, Function.identity()));

    assertThat(entries.get("usr/bin/awk").linkTarget()).isEqualTo("/etc/alternatives/awk");
    assertThat(entries.get("etc/alternatives/awk").linkTarget()).isEqualTo("/usr/bin/mawk");
    assertThat(entries.get("etc/alternatives/nawk").linkTarget()).isEqualTo("/usr/bin/mawk");
    assertThat(entries).doesNotContainKey("usr/share/man/man1/awk.1.gz");
    assertThat(entries.get("etc/alternatives/uwsgi").linkTarget()).isEqualTo("/usr/bin/uwsgi-core");
    assertThat(entries.get("var/lib/dpkg/alternatives/awk").content()).isNotNull();

    FileTree withGawk =
        FileTree.of(List.of(List.of(
            LayerEntry.text("usr/bin/mawk", 0755, "m"), LayerEntry.text("usr/bin/gawk", 0755, "g"))));
    assertThat(Alternatives.entries(all, withGawk))
        .filteredOn(e -> e.path().equals("etc/alternatives/awk"))
        .singleElement()
        .extracting(LayerEntry::linkTarget)
        .isEqualTo("/usr/bin/gawk");
  }
}
