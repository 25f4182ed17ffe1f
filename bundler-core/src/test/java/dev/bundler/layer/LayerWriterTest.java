package dev.bundler.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
  @TempDir Path temp;

  private static List<LayerEntry> sample() {
    return List.of(
        LayerEntry.text("usr/bin/tool", 0755, "#!/bin/sh\necho tool\n"),
        LayerEntry.symlink("usr/bin/alias", "tool"),
        LayerEntry.hardlink("usr/bin/again", "usr/bin/tool", 0755, 0, 0),
        LayerEntry.text("usr/bin/su-helper", 04755, "setuid\n"),
        LayerEntry.directory("home/app", 0750, 1000, 33),
        LayerEntry.file(
            "home/app/" + "x".repeat(120) + "/long-name.txt",
            0644,
            1000,
            33,
            Content.of("long".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void sameEntriesGiveSameBytesAndPinnedDigest() throws IOException {
    Layer first = LayerWriter.create().write(sample(), temp.resolve("a.tar.gz"));
    List<LayerEntry> shuffled = new ArrayList<>(sample());
    java.util.Collections.reverse(shuffled);
    Layer second = LayerWriter.create().write(shuffled, temp.resolve("b.tar.gz"));

    assertThat(Files.readAllBytes(second.blob())).isEqualTo(Files.readAllBytes(first.blob()));
    assertThat(second.digest()).isEqualTo(first.digest());
    // Pinned: a change here means every layer bundler writes changed. Bump cache kinds if so.
    assertThat(first.diffId())
        .isEqualTo("sha256:" + Digests.sha256Hex(gunzip(first.blob())));
    assertThat(first.digest())
        .isEqualTo("sha256:" + Digests.sha256Hex(Files.readAllBytes(first.blob())));
    assertThat(first.diffId()).isEqualTo("sha256:809a02014ec437d0668da593b7f63306a55b6e1dd0ba327c97cabc2159df5de3");
    assertThat(first.digest())
        .isEqualTo("sha256:062b3e204714efa12025350ba350c41b8c0ee1bd4ddf1f787f6c4a1db7064835");
  }

  @Test
  void keepsLinksModesOwnersAndAddsParents() throws IOException {
    Layer layer = LayerWriter.create().write(sample(), temp.resolve("l.tar.gz"));
    List<TarArchiveEntry> entries = read(layer.blob());
    List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();

    assertThat(names)
        .startsWith("home/", "home/app/")
        .contains("usr/", "usr/bin/")
        .doesNotHaveDuplicates();
    assertThat(names.indexOf("usr/bin/")).isLessThan(names.indexOf("usr/bin/alias"));

    TarArchiveEntry alias = find(entries, "usr/bin/alias");
    assertThat(alias.isSymbolicLink()).isTrue();
    assertThat(alias.getLinkName()).isEqualTo("tool");

    // "again" sorts before "tool": it carries the content and "tool" links to it.
    TarArchiveEntry again = find(entries, "usr/bin/again");
    TarArchiveEntry tool = find(entries, "usr/bin/tool");
    assertThat(again.isFile()).isTrue();
    assertThat(again.getSize()).isEqualTo(20);
    assertThat(tool.isLink()).isTrue();
    assertThat(tool.getLinkName()).isEqualTo("usr/bin/again");

    assertThat(find(entries, "usr/bin/su-helper").getMode() & 07777).isEqualTo(04755);
    TarArchiveEntry home = find(entries, "home/app/");
    assertThat(home.getLongUserId()).isEqualTo(1000);
    assertThat(home.getLongGroupId()).isEqualTo(33);
    assertThat(home.getMode() & 07777).isEqualTo(0750);
    assertThat(find(entries, "home/").getMode() & 07777).isEqualTo(0755);
    assertThat(entries).allSatisfy(e -> assertThat(e.getModTime().getTime()).isEqualTo(1000));
    assertThat(entries).allSatisfy(e -> assertThat(e.getUserName()).isEmpty());
  }

  @Test
  void systemTarExtractsLinksAndSetuid() throws Exception {
    Layer layer = LayerWriter.create().write(sample(), temp.resolve("l.tar.gz"));
    Path root = Files.createDirectory(temp.resolve("root"));
    dev.bundler.testkit.Tools.check(
        List.of("tar", "-xzpf", layer.blob().toString(), "-C", root.toString()));

    assertThat(Files.readSymbolicLink(root.resolve("usr/bin/alias"))).hasToString("tool");
    assertThat(Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("usr/bin/again"), "unix:ino"));
    assertThat((int) Files.getAttribute(root.resolve("usr/bin/su-helper"), "unix:mode") & 07777)
        .isEqualTo(04755);
    assertThat(root.resolve("home/app/" + "x".repeat(120) + "/long-name.txt")).hasContent("long");
  }

  @Test
  void refusesConflictingDuplicates() {
    List<LayerEntry> entries =
        List.of(LayerEntry.text("etc/a", 0644, "one"), LayerEntry.text("etc/a", 0644, "two"));
    assertThatThrownBy(() -> LayerWriter.create().write(entries, temp.resolve("d.tar.gz")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("etc/a appears twice");
  }

  @Test
  void acceptsIdenticalDirectoriesTwice() throws IOException {
    List<LayerEntry> entries =
        List.of(LayerEntry.directory("etc", 0755, 0, 0), LayerEntry.directory("etc/", 0755, 0, 0));
    Layer layer = LayerWriter.create().write(entries, temp.resolve("d.tar.gz"));
    assertThat(read(layer.blob())).extracting(TarArchiveEntry::getName).containsExactly("etc/");
  }

  @Test
  void refusesFileAsParentAndDanglingHardlink() {
    List<LayerEntry> fileParent =
        List.of(LayerEntry.text("etc", 0644, "x"), LayerEntry.text("etc/a", 0644, "y"));
    assertThatThrownBy(() -> LayerWriter.create().write(fileParent, temp.resolve("p.tar.gz")))
        .hasMessageContaining("parent etc of etc/a is not a directory");
    List<LayerEntry> dangling = List.of(LayerEntry.hardlink("bin/a", "bin/missing", 0755, 0, 0));
    assertThatThrownBy(() -> LayerWriter.create().write(dangling, temp.resolve("h.tar.gz")))
        .hasMessageContaining("not a regular file of the same layer");
  }

  @Test
  void refusesPathsEscapingTheRoot() {
    assertThatThrownBy(() -> LayerEntry.text("../etc/passwd", 0644, "x"))
        .hasMessageContaining("escapes the root");
    assertThatThrownBy(() -> LayerEntry.text("usr/../../x", 0644, "x"))
        .hasMessageContaining("escapes the root");
    assertThat(LayerEntry.text("/./usr//bin/", 0644, "x").path()).isEqualTo("usr/bin");
  }

  static byte[] gunzip(Path blob) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      return in.readAllBytes();
    }
  }

  static List<TarArchiveEntry> read(Path blob) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(blob)))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        entries.add(e);
      }
    }
    return entries;
  }

  private static TarArchiveEntry find(List<TarArchiveEntry> entries, String name) {
    return entries.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }
}
