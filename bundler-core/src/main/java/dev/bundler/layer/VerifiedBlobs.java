package dev.bundler.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;

/**
 * Reads cached layer blobs the only way bundler reads them: checked against the digest their
 * record gives, on the same pass that uses the bytes (copying into an image tarball or a
 * registry upload), never by size alone.
 */
public final class VerifiedBlobs {
  private static final int BUFFER = 1 << 20;

  private VerifiedBlobs() {}

  /**
   * Copies {@code layer}'s blob to {@code out}, exactly {@link Layer#size()} bytes, and checks its
   * digest.
   *
   * @throws CorruptBlobException if the bytes are not those recorded: what was written to {@code
   *     out} must then be discarded
   */
  public static void copy(Layer layer, OutputStream out) throws IOException {
    MessageDigest digest = Digests.sha256();
    long copied = 0;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(layer.blob())) {
      for (int n; copied < layer.size()
          && (n = in.read(buffer, 0, (int) Math.min(buffer.length, layer.size() - copied))) > 0; ) {
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
        copied += n;
      }
    }
    String actual = "sha256:" + Digests.hex(digest.digest());
    if (copied != layer.size() || !actual.equals(layer.digest())) {
      if (copied < layer.size()) {
        // Keep the stream's framing (a tar entry of a declared size) intact; it is discarded.
        out.write(new byte[(int) Math.min(Integer.MAX_VALUE, layer.size() - copied)]);
      }
      throw new CorruptBlobException(layer, actual);
    }
  }
}
