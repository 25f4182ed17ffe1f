package dev.bundler.apt;

import dev.bundler.layer.Digests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A cached file read through its SHA-256: the reader that uses the bytes hashes them as it goes,
 * then {@link #verify} reads what it left and compares the hash with the one the signed index
 * recorded. A reader keeps what it read only if {@link #verify} passes, so a damaged or tampered
 * cache entry is never used, and it is not read twice.
 */
final class HashingInput extends FilterInputStream {
  private final Path file;
  private final MessageDigest digest = Digests.sha256();
  private long count;

  private HashingInput(Path file, InputStream in) {
    super(in);
    this.file = file;
  }

  static HashingInput open(Path file) throws IOException {
    return new HashingInput(file, Files.newInputStream(file));
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      digest.update(buffer, offset, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int limit) {
    // not supported: every byte is hashed once, in order
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  /**
   * Reads the rest of the file and checks the whole against {@code sha256}.
   *
   * @throws Mismatch if the file is not the one recorded
   */
  void verify(String sha256) throws IOException {
    byte[] buffer = new byte[1 << 16];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing the rest
    }
    String actual = Digests.hex(digest.digest());
    if (!actual.equals(sha256)) {
      throw new Mismatch(file, sha256, actual, count);
    }
  }

  /** A cached file whose content is not what its signed index recorded. */
  static final class Mismatch extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    Mismatch(Path file, String expected, String actual, long size) {
      super(file + " has sha256 " + actual + " (" + size + " bytes), not " + expected);
      this.file = file;
    }

    Path file() {
      return file;
    }
  }
}
