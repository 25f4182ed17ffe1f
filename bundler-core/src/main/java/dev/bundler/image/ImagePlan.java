package dev.bundler.image;

import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.Digests;
import java.nio.file.Path;
import java.util.List;

/**
 * An image as bundler will write it, computed before anything is written: every layer (the
 * base's first), the config and the manifest as bytes, and so the image's digest and id.
 *
 * <p>The OCI archive and a registry push both carry exactly these bytes, which is why the two
 * have the same digest. A plan of a tarball or registry base holds that base's layers unpacked in
 * a scratch directory, removed by {@link #close()}.
 */
public final class ImagePlan implements AutoCloseable {
  private final List<ImageLayer> layers;
  private final byte[] config;
  private final OciManifestTemplate manifestTemplate;
  private final byte[] manifest;
  private final Path scratch;

  ImagePlan(List<ImageLayer> layers, byte[] config, OciManifestTemplate manifestTemplate,
      byte[] manifest, Path scratch) {
    this.layers = List.copyOf(layers);
    this.config = config.clone();
    this.manifestTemplate = manifestTemplate;
    this.manifest = manifest.clone();
    this.scratch = scratch;
  }

  /** Every layer of the image, lowest first: the base image's, then bundler's. */
  public List<ImageLayer> layers() {
    return layers;
  }

  /** The image config, as written. */
  public byte[] config() {
    return config.clone();
  }

  /** The manifest, as written and pushed. */
  public byte[] manifest() {
    return manifest.clone();
  }

  /** {@code sha256:...} of the manifest: the image's digest wherever it goes. */
  public String digest() {
    return "sha256:" + Digests.sha256Hex(manifest);
  }

  /** {@code sha256:...} of the config: the image's id. */
  public String imageId() {
    return "sha256:" + Digests.sha256Hex(config);
  }

  OciManifestTemplate manifestTemplate() {
    return manifestTemplate;
  }

  /** Removes the base image's unpacked layers, if any. */
  @Override
  public void close() {
    if (scratch != null) {
      AtomicFiles.deleteRecursively(scratch);
    }
  }
}
