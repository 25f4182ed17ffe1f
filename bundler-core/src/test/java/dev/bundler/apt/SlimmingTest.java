package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlimmingTest {
  private static DebArchive archive() {
    String md5sums = "aaa  usr/bin/tool\nbbb  usr/share/doc/tool/changelog.gz\n"
        + "ccc  usr/share/doc/tool/copyright\nddd  usr/share/man/man1/tool.1.gz\n"
        + "eee  usr/share/locale/fr/LC_MESSAGES/tool.mo\n";
    return new DebArchive(Deb822.of(Map.of("Package", "tool")),
        Map.of("md5sums", md5sums.getBytes(StandardCharsets.UTF_8)),
        List.of(
            LayerEntry.directory("usr/share/doc/tool", 0755, 0, 0),
            LayerEntry.text("usr/share/doc/tool/copyright", 0644, "GPL"),
            LayerEntry.text("usr/share/doc/tool/changelog.gz", 0644, "log"),
            LayerEntry.symlink("usr/share/doc/tool-data", "tool"),
            LayerEntry.text("usr/share/man/man1/tool.1.gz", 0644, "man"),
            LayerEntry.text("usr/share/info/tool.info.gz", 0644, "info"),
            LayerEntry.text("usr/share/locale/fr/LC_MESSAGES/tool.mo", 0644, "fr"),
            LayerEntry.file("usr/share/doc/tool/README", 0644, 0, 0, Content.of(new byte[] {1})),
            LayerEntry.hardlink("usr/bin/tool-readme", "usr/share/doc/tool/README", 0644, 0, 0),
            LayerEntry.text("usr/bin/tool", 0755, "#!/bin/sh\n"),
            LayerEntry.text("usr/share/tool/data", 0644, "kept")));
  }

  @Test
  void documentationIsLeftOutButLicencesAndWhatLinksToItStay() {
    DebArchive slim = Slimming.of(false).apply(archive());
    assertThat(slim.entries()).extracting(LayerEntry::path).containsExactly(
        "usr/share/doc/tool", "usr/share/doc/tool/copyright", "usr/share/doc/tool-data",
        "usr/share/doc/tool/README", "usr/bin/tool-readme", "usr/bin/tool", "usr/share/tool/data");
    assertThat(new String(slim.controlFiles().get("md5sums"), StandardCharsets.UTF_8))
        .as("dpkg --verify finds what dpkg -L lists")
        .isEqualTo("aaa  usr/bin/tool\nccc  usr/share/doc/tool/copyright\n");
    assertThat(Slimming.of(false).entries()).singleElement()
        .satisfies(e -> assertThat(e.path()).isEqualTo("etc/dpkg/dpkg.cfg.d/bundler-slim"));
    assertThat(Slimming.of(false).omitted()).contains("/usr/share/man");
  }

  @Test
  void keepingDocumentationKeepsEverything() {
    DebArchive archive = archive();
    assertThat(Slimming.of(true).apply(archive)).isSameAs(archive);
    assertThat(Slimming.of(true).entries()).isEmpty();
    assertThat(Slimming.of(true).omitted()).isNull();
  }
}
