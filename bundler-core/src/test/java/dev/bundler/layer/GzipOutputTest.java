package dev.bundler.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * bundler's gzip stream writes what {@link GZIPOutputStream} writes (layer digests do not change
 * with it), whatever the chunks it is given, and {@link GZIPInputStream} reads it back.
 */
class GzipOutputTest {
  @Test
  void sameBytesAsTheJdksGzipAtEachLevelAndChunking() throws Exception {
    byte[] data = sample();
    for (int level : new int[] {1, 6, 9}) {
      byte[] reference = jdk(data, level);
      for (int chunk : new int[] {1, 7, 4096, 65536, 200_000, data.length}) {
        byte[] ours = ours(data, level, chunk);
        assertThat(ours).as("level %d, chunks of %d", level, chunk).isEqualTo(reference);
      }
    }
  }

  @Test
  void readsBackIncludingAnEmptyStream() throws Exception {
    byte[] data = sample();
    assertThat(new GZIPInputStream(new ByteArrayInputStream(ours(data, 6, 1000))).readAllBytes())
        .isEqualTo(data);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(ours(new byte[0], 6, 1)))
            .readAllBytes())
        .isEmpty();
    assertThat(ours(new byte[0], 6, 1)).isEqualTo(jdk(new byte[0], 6));
  }

  private static byte[] sample() {
    Random random = new Random(42);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      out.writeBytes(("line " + i + " of a text file that compresses well\n")
          .getBytes(StandardCharsets.UTF_8));
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      out.writeBytes(noise);
    }
    return out.toByteArray();
  }

  private static byte[] ours(byte[] data, int level, int chunk) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipOutput gzip = new GzipOutput(out, level)) {
      for (int offset = 0; offset < data.length; offset += chunk) {
        if (chunk == 1) {
          gzip.write(data[offset]);
        } else {
          gzip.write(data, offset, Math.min(chunk, data.length - offset));
        }
      }
    }
    return out.toByteArray();
  }

  private static byte[] jdk(byte[] data, int level) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(level);
      }
    }) {
      gzip.write(data);
    }
    return Arrays.copyOf(out.toByteArray(), out.size());
  }
}
