package dev.bundler.layer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A written layer: a gzip-compressed tar blob on disk with the two digests an image needs.
 *
 * @param blob the compressed tar file
 * @param digest {@code sha256:...} of the compressed blob, as manifests reference it
 * @param diffId {@code sha256:...} of the uncompressed tar, as image configs list it
 * @param size size of the compressed blob in bytes
 */
public record Layer(Path blob, String digest, String diffId, long size) {

  public Layer {
    Objects.requireNonNull(blob, "blob");
    requireSha256(digest, "digest");
    requireSha256(diffId, "diffId");
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }

  private static void requireSha256(String value, String what) {
    if (value == null || !value.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException(what + " is not a sha256 digest: " + value);
    }
  }

  /** The hex part of {@link #digest()}. */
  public String digestHex() {
    return digest.substring("sha256:".length());
  }
}
