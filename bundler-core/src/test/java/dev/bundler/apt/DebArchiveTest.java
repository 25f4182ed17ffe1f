package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.layer.Digests;
import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package whose data is xz-compressed, as Debian's are, read through the machine's {@code xz}
 * ({@code dev.bundler.io.NativeXz}): its files as packed, its hash checked over every byte, a
 * damaged one refused with nothing kept.
 */
class DebArchiveTest {
  @TempDir Path temp;

  @BeforeAll
  static void requireXz() {
    Tools.require("xz", "xz-utils");
  }

  @Test
  void anXzPackageIsReadWholeAndCheckedAgainstItsHash() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      files.put("usr/share/fixture/file" + i + ".txt",
          ("line " + i + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8));
    }
    files.put("usr/bin/fixture", "#!/bin/sh\necho fixture\n".getBytes(StandardCharsets.UTF_8));
    Path deb = temp.resolve("fixture.deb");
    Files.write(deb, deb(FixtureRepo.xz(FixtureRepo.tar(files, Map.of("usr/bin/alias", "fixture")))));

    DebArchive archive = DebArchive.read(deb, Digests.sha256Hex(deb), "fixture 1.0",
        temp.resolve("unpacked"));

    assertThat(archive.control().get("Package")).isEqualTo("fixture");
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    archive.entries().forEach(entry -> byPath.put(entry.path(), entry));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      LayerEntry entry = byPath.get(file.getKey());
      assertThat(entry).as(file.getKey()).isNotNull();
      try (var in = entry.content().open()) {
        assertThat(in.readAllBytes()).as(file.getKey()).isEqualTo(file.getValue());
      }
    }
    assertThat(byPath.get("usr/bin/fixture").mode() & 0777).isEqualTo(0755);
    assertThat(byPath.get("usr/bin/alias").linkTarget()).isEqualTo("fixture");

    assertThatThrownBy(() -> DebArchive.read(deb, "0".repeat(64), "fixture 1.0", temp.resolve("again")))
        .as("the hash covers the whole file, the part xz read included")
        .isInstanceOf(HashingInput.Mismatch.class);
    assertThat(temp.resolve("again")).doesNotExist();
  }

  @Test
  void theJavaDecoderReadsThePackageAsXzDoes() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      files.put("usr/lib/fixture/module" + i + ".py",
          ("def f" + i + "():\n    return " + i + "\n").repeat(500).getBytes(StandardCharsets.UTF_8));
    }
    Path deb = temp.resolve("fixture.deb");
    Files.write(deb, deb(FixtureRepo.xz(FixtureRepo.tar(files, Map.of()))));
    List<String> nativeRead = listing(DebArchive.read(deb, Digests.sha256Hex(deb), "fixture 1.0",
        temp.resolve("native")));
    List<String> javaRead = withJavaDecoder(() -> listing(DebArchive.read(deb,
        Digests.sha256Hex(deb), "fixture 1.0", temp.resolve("java"))));
    assertThat(javaRead).hasSize(files.size()).isEqualTo(nativeRead);
  }

  /** Each entry's path, type, mode and content hash. */
  private static List<String> listing(DebArchive archive) throws Exception {
    List<String> lines = new ArrayList<>();
    for (LayerEntry entry : archive.entries()) {
      String content = "";
      if (entry.content() != null) {
        try (var in = entry.content().open()) {
          content = Digests.sha256Hex(in.readAllBytes());
        }
      }
      lines.add(entry.path() + " " + entry.type() + " " + Integer.toOctalString(entry.mode())
          + " " + content);
    }
    return lines;
  }

  @Test
  void aDamagedXzMemberIsRefusedNamingThePackage() throws Exception {
    byte[] data = FixtureRepo.xz(FixtureRepo.tar(Map.of("etc/fixture.conf",
        "key = value\n".repeat(5000).getBytes(StandardCharsets.UTF_8)), Map.of()));
    data[data.length / 2] ^= 0x55;
    Path deb = temp.resolve("damaged.deb");
    Files.write(deb, deb(data));

    assertThatThrownBy(() -> DebArchive.read(deb, Digests.sha256Hex(deb), "fixture 1.0",
        temp.resolve("unpacked")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fixture 1.0");
  }

  @Test
  void aPackageAskingForGigabytesToDecompressIsRefusedByBothDecoders() throws Exception {
    byte[] data = dictionaryOf1GiB(FixtureRepo.xz(FixtureRepo.tar(Map.of("etc/fixture.conf",
        "key = value\n".getBytes(StandardCharsets.UTF_8)), Map.of())));
    Path deb = temp.resolve("greedy.deb");
    Files.write(deb, deb(data));
    assertThatThrownBy(() -> DebArchive.read(deb, Digests.sha256Hex(deb), "fixture 1.0",
        temp.resolve("native")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fixture 1.0");
    withJavaDecoder(() -> assertThatThrownBy(() -> DebArchive.read(deb, Digests.sha256Hex(deb),
        "fixture 1.0", temp.resolve("java")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("fixture 1.0"));
  }

  /** What {@code work} returns with the machine's {@code xz} left unused (the Java decoder's). */
  private static <T> T withJavaDecoder(java.util.concurrent.Callable<T> work) throws Exception {
    String before = System.getProperty("bundler.nativeXz");
    System.setProperty("bundler.nativeXz", "false");
    try {
      return work.call();
    } finally {
      if (before == null) {
        System.clearProperty("bundler.nativeXz");
      } else {
        System.setProperty("bundler.nativeXz", before);
      }
    }
  }

  /**
   * {@code xz} (one LZMA2 block, as tukaani writes it) with its block header saying that the
   * dictionary is 1 GiB: the Java decoder without a memory limit allocated that much for a
   * 120-byte stream (1.1 GB RSS); {@code xz} without one decodes it.
   */
  private static byte[] dictionaryOf1GiB(byte[] xz) {
    byte[] out = xz.clone();
    int header = 12; // stream header
    int size = ((out[header] & 0xff) + 1) * 4;
    assertThat(out[header + 1]).as("block flags: one filter, no sizes").isEqualTo((byte) 0);
    assertThat(out[header + 2]).as("the LZMA2 filter").isEqualTo((byte) 0x21);
    out[header + 4] = 36; // dictionary size 1 GiB
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(out, header, size - 4);
    long value = crc.getValue();
    for (int i = 0; i < 4; i++) {
      out[header + size - 4 + i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  private static byte[] deb(byte[] dataTarXz) throws Exception {
    String control = "Package: fixture\nVersion: 1.0\nArchitecture: amd64\n"
        + "Description: fixture\n";
    ByteArrayOutputStream deb = new ByteArrayOutputStream();
    try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(ar, "control.tar.xz", FixtureRepo.xz(FixtureRepo.tar(
          Map.of("control", control.getBytes(StandardCharsets.UTF_8)), Map.of())));
      member(ar, "data.tar.xz", dataTarXz);
    }
    return deb.toByteArray();
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] content) throws Exception {
    ar.putArchiveEntry(new ArArchiveEntry(name, content.length, 0, 0, 0100644, 0));
    ar.write(content);
    ar.closeArchiveEntry();
  }
}
