package dev.bundler.layer;

import java.io.IOException;

/**
 * A cached blob whose bytes are not those its record promises: found by the read that used it,
 * after which nothing read from it may be kept. The caller evicts it and makes it again.
 */
public final class CorruptBlobException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Layer layer;

  public CorruptBlobException(Layer layer, String actualDigest) {
    super("The blob " + layer.blob() + " has digest " + actualDigest + ", not " + layer.digest()
        + " as recorded: it was damaged or tampered with in the cache");
    this.layer = layer;
  }

  /** The layer whose blob is damaged. */
  public Layer layer() {
    return layer;
  }
}
