package dev.bundler.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bundler.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The metadata files written next to an image: {@code image.json} ({@code image},
 * {@code imageDigest}, {@code imageId}, {@code tags}, {@code tarball}), and {@code image.digest}
 * and {@code image.id} holding just those values, for scripts.
 */
public final class ImageOutputs {
  /** File names of a build's image outputs, removed before a new build writes them. */
  public static final List<String> FILES =
      List.of("image.tar", "image.json", "image.digest", "image.id", "sbom.cdx.json");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ImageOutputs() {}

  /** The tarball path of a build writing into {@code directory}. */
  public static Path tarball(Path directory) {
    return directory.resolve("image.tar");
  }

  /** Removes the outputs of an earlier build so that a failed build leaves none behind. */
  public static void clean(Path directory) throws IOException {
    for (String name : FILES) {
      Files.deleteIfExists(directory.resolve(name));
    }
  }

  /** Writes the metadata files of {@code result} into {@code directory}, each atomically. */
  public static Path write(ImageResult result, Path directory) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("image", result.image());
    json.put("imageDigest", result.imageDigest());
    json.put("imageId", result.imageId());
    json.putPOJO("tags", result.tags());
    if (result.tarball() != null) {
      json.put("tarball", result.tarball().toString());
    }
    Path imageJson = directory.resolve("image.json");
    AtomicFiles.write(imageJson, JSON.writeValueAsBytes(json));
    AtomicFiles.write(directory.resolve("image.digest"), bytes(result.imageDigest()));
    AtomicFiles.write(directory.resolve("image.id"), bytes(result.imageId()));
    return imageJson;
  }

  private static byte[] bytes(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
