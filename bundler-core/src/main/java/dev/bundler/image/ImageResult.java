package dev.bundler.image;

import java.nio.file.Path;
import java.util.List;

/**
 * What an image build produced.
 *
 * @param image the full image reference the tarball is tagged with
 * @param imageDigest {@code sha256:...} of the image manifest: the same wherever the image goes
 * @param imageId {@code sha256:...} of the image config
 * @param tags the tags the image carries
 * @param tarball the OCI archive written, or {@code null} when the image was only pushed
 */
public record ImageResult(
    String image, String imageDigest, String imageId, List<String> tags, Path tarball) {
  public ImageResult {
    tags = List.copyOf(tags);
  }
}
