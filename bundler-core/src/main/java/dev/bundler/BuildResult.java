package dev.bundler;

import dev.bundler.image.ImageResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Bundler#build} produced: the image and where its metadata went.
 *
 * @param image the image: reference, digest, id, tags and tarball
 * @param imageJson the {@code image.json} file describing it
 * @param distributions the Python distributions installed, as {@code name==version}, application
 *     first
 * @param pushed the image as pushed to its registry (same digest), or {@code null} when it was
 *     not pushed
 */
public record BuildResult(ImageResult image, Path imageJson, List<String> distributions,
    ImageResult pushed) {
  public BuildResult {
    distributions = List.copyOf(distributions);
  }
}
