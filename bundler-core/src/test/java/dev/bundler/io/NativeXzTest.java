package dev.bundler.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.testkit.Tools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

@Timeout(60)
class NativeXzTest {
  @TempDir Path temp;

  private static Path xz;

  @BeforeAll
  static void requireXz() {
    Tools.require("xz", "xz-utils");
    xz = NativeXz.find(System.getenv("PATH"));
  }

  @Test
  void decompressesAsTheJavaDecoderDoesAndReadsItsInputToTheEnd() throws Exception {
    byte[] data = sample(3 << 20);
    byte[] compressed = compress(data);
    CountingInput input = new CountingInput(compressed);
    byte[] out;
    try (InputStream in = NativeXz.open(xz, input)) {
      out = in.readAllBytes();
    }
    assertThat(out).isEqualTo(data);
    assertThat(out).isEqualTo(new XZInputStream(new ByteArrayInputStream(compressed)).readAllBytes());
    assertThat(input.read).as("every compressed byte went through the caller's stream, once")
        .isEqualTo(compressed.length);
  }

  @Test
  void aDamagedStreamFailsNamingXz() throws Exception {
    byte[] compressed = compress(sample(1 << 20));
    compressed[compressed.length / 2] ^= 0x55;
    assertThatThrownBy(() -> {
      try (InputStream in = NativeXz.open(xz, new ByteArrayInputStream(compressed))) {
        in.readAllBytes();
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("xz failed");
    byte[] notXz = "not an xz stream at all".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> {
      try (InputStream in = NativeXz.open(xz, new ByteArrayInputStream(notXz))) {
        in.readAllBytes();
      }
    }).isInstanceOf(IOException.class).hasMessageContaining("xz failed");
  }

  @Test
  void closedEarlyItStopsABombAndLeavesTheRestOfTheInputToTheCaller() throws Exception {
    // 200 MB of zeros in a few KB: a reader that stops early must not wait for all of it.
    byte[] bomb;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (XZOutputStream out = new XZOutputStream(bytes, new LZMA2Options(1))) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        out.write(zeros);
      }
    }
    bomb = bytes.toByteArray();
    CountingInput input = new CountingInput(bomb);
    long started = System.nanoTime();
    try (InputStream in = NativeXz.open(xz, input)) {
      assertThat(in.readNBytes(10)).hasSize(10);
    }
    assertThat((System.nanoTime() - started) / 1e9).as("seconds to stop").isLessThan(10);
    long fed = input.read;
    input.readAllBytes();
    assertThat(input.read).as("the caller reads the rest once close has returned")
        .isEqualTo(bomb.length).isGreaterThanOrEqualTo(fed);
  }

  @Test
  void theProgramIsAnExecutableFileOnThePath() throws Exception {
    Path notExecutable = Files.createDirectories(temp.resolve("a"));
    Files.writeString(notExecutable.resolve("xz"), "#!/bin/sh\n");
    Path directory = Files.createDirectories(temp.resolve("b").resolve("xz"));
    Path executable = Files.createDirectories(temp.resolve("c"));
    Files.writeString(executable.resolve("xz"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(executable.resolve("xz"), PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = notExecutable + ":" + directory.getParent() + "::" + executable;
    assertThat(NativeXz.find(path)).isEqualTo(executable.resolve("xz"));
    assertThat(NativeXz.find(notExecutable.toString())).isNull();
    assertThat(NativeXz.find(null)).isNull();
  }

  @Test
  void anXzThatDoesNotWorkIsLeftUnused() throws Exception {
    assertThat(NativeXz.works(xz)).isTrue();
    Path broken = Files.createDirectories(temp.resolve("broken")).resolve("xz");
    Files.writeString(broken, "#!/bin/sh\necho 'xz: unrecognized option' >&2\nexit 1\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(NativeXz.works(broken)).as("fails").isFalse();
    Path wrong = temp.resolve("wrong-xz");
    Files.writeString(wrong, "#!/bin/sh\ncat >/dev/null\necho something else\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(NativeXz.works(wrong)).as("writes other bytes").isFalse();
  }

  /** Half text-like, half random: compresses as a package's files do. */
  private static byte[] sample(int size) {
    byte[] data = new byte[size];
    Random random = new Random(42);
    for (int i = 0; i < size; i++) {
      data[i] = i % 2048 < 1024 ? (byte) ('a' + (i * 7 % 26)) : (byte) random.nextInt();
    }
    return data;
  }

  private static byte[] compress(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (XZOutputStream out = new XZOutputStream(bytes, new LZMA2Options(6))) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** A stream that counts what was read of it. */
  private static final class CountingInput extends ByteArrayInputStream {
    volatile long read;

    CountingInput(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      int n = super.read(b, off, len);
      if (n > 0) {
        read += n;
      }
      return n;
    }

    @Override
    public synchronized int read() {
      int b = super.read();
      if (b >= 0) {
        read++;
      }
      return b;
    }
  }
}
