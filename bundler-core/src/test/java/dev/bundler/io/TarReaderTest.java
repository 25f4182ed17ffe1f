package dev.bundler.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.layer.Digests;
import dev.bundler.testkit.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar reader against this machine's GNU tar, which writes the archives in each format it
 * knows, and commons-compress, which reads them too: the same entries, owners, modes, links and
 * content. Damaged archives are refused saying where.
 */
class TarReaderTest {
  @TempDir Path temp;
  Path tree;

  /** name, type, mode, owner, size, link target and content of one entry, as both read it. */
  record Seen(String name, String type, int mode, long uid, long gid, long size, String link,
      String content) {}

  @BeforeEach
  void tree() throws Exception {
    tree = Files.createDirectories(temp.resolve("tree"));
    Path deep = Files.createDirectories(tree.resolve("d".repeat(90) + "/" + "e".repeat(90) + "/"
        + "f".repeat(90)));
    for (int size : new int[] {0, 1, 511, 512, 513, 10_000}) {
      byte[] content = new byte[size];
      for (int i = 0; i < size; i++) {
        content[i] = (byte) (i * 31 + size);
      }
      Files.write(tree.resolve("file-" + size), content);
    }
    Files.writeString(deep.resolve("a-file-with-a-name-of-more-than-a-hundred-characters-".repeat(2)),
        "deep\n");
    Files.writeString(tree.resolve("ü-文件.txt"), "unicode\n");
    Tools.check(List.of("chmod", "4755",
        Files.writeString(tree.resolve("tool"), "#!/bin/sh\n").toString()));
    Files.createSymbolicLink(tree.resolve("short-link"), Path.of("file-1"));
    Files.createSymbolicLink(tree.resolve("long-link"), Path.of("../".repeat(70) + "target"));
    Files.createLink(tree.resolve("hard-link"), tree.resolve("file-513"));
    Tools.check(List.of("mkfifo", tree.resolve("fifo").toString()));
  }

  private byte[] gnuTar(String format, String... options) throws Exception {
    Tools.require("tar", "tar");
    Path archive = temp.resolve(format + ".tar");
    List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "-cf",
        archive.toString(), "-C", tree.toString(), "--sort=name"));
    command.addAll(List.of(options));
    command.add(".");
    Tools.check(command);
    return Files.readAllBytes(archive);
  }

  private static List<Seen> ours(byte[] archive) throws IOException {
    List<Seen> seen = new ArrayList<>();
    TarReader tar = new TarReader(new ByteArrayInputStream(archive));
    for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
      String content = "";
      if (entry.type() == TarReader.Type.FILE) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[777];
        for (int n; (n = tar.read(buffer, 0, buffer.length)) > 0; ) {
          out.write(buffer, 0, n);
        }
        content = Digests.sha256Hex(out.toByteArray());
      }
      seen.add(new Seen(entry.name(), entry.type().name(), entry.mode(), entry.uid(),
          entry.gid(), entry.size(), entry.linkName(), content));
    }
    return seen;
  }

  private static List<Seen> commons(byte[] archive) throws IOException {
    List<Seen> seen = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive),
        "UTF-8")) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        // commons' isFile() holds for a FIFO: a FIFO in a .deb was an empty file before
        String type = entry.isFIFO() || entry.isCharacterDevice() || entry.isBlockDevice()
            ? "OTHER" : entry.isDirectory() ? "DIRECTORY" : entry.isSymbolicLink() ? "SYMLINK"
            : entry.isLink() ? "HARDLINK" : entry.isFile() ? "FILE" : "OTHER";
        String content = type.equals("FILE") ? Digests.sha256Hex(tar.readAllBytes()) : "";
        seen.add(new Seen(entry.getName(), type, entry.getMode() & 07777, entry.getLongUserId(),
            entry.getLongGroupId(), type.equals("FILE") ? entry.getSize() : 0,
            type.equals("SYMLINK") || type.equals("HARDLINK") ? entry.getLinkName() : "",
            content));
      }
    }
    return seen;
  }

  @Test
  void readsWhatGnuTarWritesInEachFormatAsCommonsCompressDoes() throws Exception {
    for (String format : List.of("gnu", "posix", "oldgnu")) {
      byte[] archive = gnuTar(format, "--owner=builder:3000000", "--group=staff:4000000");
      List<Seen> ours = ours(archive);
      assertThat(ours).as(format).isEqualTo(commons(archive));
      assertThat(ours).as(format).extracting(Seen::type)
          .contains("FILE", "DIRECTORY", "SYMLINK", "HARDLINK", "OTHER");
      assertThat(ours).as(format + ": long names, link targets, owners beyond octal")
          .anySatisfy(seen -> assertThat(seen.name()).hasSizeGreaterThan(300))
          .anySatisfy(seen -> assertThat(seen.link()).hasSizeGreaterThan(200))
          .anySatisfy(seen -> assertThat(seen.name()).endsWith("ü-文件.txt"))
          .anySatisfy(seen -> assertThat(seen.mode()).isEqualTo(04755))
          .allSatisfy(seen -> assertThat(seen.uid()).isEqualTo(3_000_000));
    }
    // ustar holds no link target over 100 characters, no name over 256 and no large owner
    Files.delete(tree.resolve("long-link"));
    Tools.check(List.of("rm", "-r", tree.resolve("d".repeat(90)).toString()));
    Files.writeString(Files.createDirectories(tree.resolve("m".repeat(60) + "/" + "m".repeat(60)))
        .resolve("n".repeat(80)), "prefixed\n");
    byte[] ustar = gnuTar("ustar", "--owner=builder:1000", "--group=staff:33");
    assertThat(ours(ustar)).isEqualTo(commons(ustar))
        .anySatisfy(seen -> assertThat(seen.name()).hasSizeGreaterThan(200));
  }

  @Test
  void entriesNotReadToTheirEndAreSkipped() throws Exception {
    byte[] archive = gnuTar("gnu");
    TarReader tar = new TarReader(new ByteArrayInputStream(archive));
    List<String> names = new ArrayList<>();
    for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
      names.add(entry.name());
      if (entry.name().endsWith("file-10000")) {
        byte[] two = new byte[2];
        assertThat(tar.read(two, 0, 2)).isEqualTo(2);
        assertThat(two).containsExactly((byte) 10_000, (byte) (31 + 10_000));
      }
    }
    assertThat(names).isEqualTo(commons(archive).stream().map(Seen::name).toList());
  }

  @Test
  void readAllRefusesMoreThanItsLimit() throws Exception {
    TarReader tar = new TarReader(new ByteArrayInputStream(gnuTar("gnu")));
    TarReader.Entry entry;
    do {
      entry = tar.next();
    } while (!entry.name().endsWith("file-10000"));
    TarReader reader = tar;
    assertThatThrownBy(() -> reader.readAll(9_999)).hasMessageContaining("10000 bytes");
    assertThat(tar.readAll(10_000)).hasSize(10_000);
  }

  @Test
  void aDamagedArchiveIsRefusedSayingWhere() throws Exception {
    byte[] archive = gnuTar("gnu");
    byte[] flipped = archive.clone();
    flipped[512 + 3] ^= 1; // inside the second header's name: a checksum no longer matching
    assertThatThrownBy(() -> ours(flipped)).isInstanceOf(IOException.class)
        .hasMessageContaining("checksum is wrong at byte");

    int firstBig = indexOf(archive, "file-10000");
    byte[] midContent = Arrays.copyOf(archive, firstBig + 512 + 4000);
    assertThatThrownBy(() -> ours(midContent)).isInstanceOf(EOFException.class)
        .hasMessageContaining("ends inside an entry");
    byte[] midHeader = Arrays.copyOf(archive, firstBig + 100);
    assertThatThrownBy(() -> ours(midHeader)).isInstanceOf(EOFException.class)
        .hasMessageContaining("ends inside a header");

    byte[] negative = archive.clone();
    int header = firstBig - firstBig % 512;
    Arrays.fill(negative, header + 124, header + 136, (byte) 0xff);
    resum(negative, header);
    assertThatThrownBy(() -> ours(negative)).hasMessageContaining("a negative size");

    byte[] notOctal = archive.clone();
    notOctal[header + 125] = '9';
    resum(notOctal, header);
    assertThatThrownBy(() -> ours(notOctal)).hasMessageContaining("not an octal number");

    assertThatThrownBy(() -> ours("not a tar archive at all".repeat(30)
        .getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("checksum is wrong");
  }

  @Test
  void aSparseFileIsRefused() throws Exception {
    // GNU tar marks a sparse file 'S' (whether it finds holes depends on the file system, so the
    // type is set here by hand)
    byte[] archive = gnuTar("gnu");
    int header = indexOf(archive, "file-513");
    archive[header + 156] = 'S';
    resum(archive, header);
    assertThatThrownBy(() -> ours(archive)).hasMessageContaining("GNU sparse file at byte " + header);
  }

  @Test
  void anEmptyStreamAndEndBlocksOnlyAreEmptyArchives() throws Exception {
    assertThat(ours(new byte[0])).isEmpty();
    assertThat(ours(new byte[1024])).isEmpty();
    InputStream oneByteAtATime = new ByteArrayInputStream(gnuTar("posix")) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    TarReader tar = new TarReader(oneByteAtATime);
    int entries = 0;
    while (tar.next() != null) {
      entries++;
    }
    assertThat(entries).isEqualTo(ours(gnuTar("posix")).size());
  }

  private static int indexOf(byte[] archive, String name) {
    byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
    for (int at = 0; at < archive.length; at += 512) {
      int end = 0;
      while (end < 100 && archive[at + end] != 0) {
        end++;
      }
      String field = new String(archive, at, end, StandardCharsets.US_ASCII);
      if (field.endsWith(new String(wanted, StandardCharsets.US_ASCII))) {
        return at;
      }
    }
    throw new AssertionError(name + " not in the archive");
  }

  /** Recomputes the checksum of the header at {@code at} after a test changed it. */
  private static void resum(byte[] archive, int at) {
    Arrays.fill(archive, at + 148, at + 156, (byte) ' ');
    long sum = 0;
    for (int i = at; i < at + 512; i++) {
      sum += archive[i] & 0xff;
    }
    byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, archive, at + 148, 8);
  }
}
