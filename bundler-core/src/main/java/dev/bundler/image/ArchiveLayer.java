package dev.bundler.image;

import dev.bundler.layer.Digests;
import dev.bundler.layer.GzipOutput;
import dev.bundler.layer.Layer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/** A layer of a base image tarball, as found on disk after extraction. */
record ArchiveLayer(Path file, String diffId, boolean gzipped) {

  /**
   * This layer as an image layer blob: its gzip file with its digest and size, compressed into
   * {@code scratch} first if the tarball held it uncompressed.
   */
  Layer toLayer(Path scratch) throws IOException {
    if (gzipped) {
      return new Layer(file, "sha256:" + Digests.sha256Hex(file), diffId, Files.size(file));
    }
    Path compressed = Files.createTempFile(scratch, "base-layer-", ".tar.gz");
    MessageDigest digest = Digests.sha256();
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = new GzipOutput(
            new DigestOutputStream(Files.newOutputStream(compressed), digest),
            java.util.zip.Deflater.DEFAULT_COMPRESSION)) {
      in.transferTo(out);
    }
    return new Layer(compressed, "sha256:" + Digests.hex(digest.digest()), diffId,
        Files.size(compressed));
  }
}
