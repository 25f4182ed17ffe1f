package dev.bundler.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bundler.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata files written next to an image: {@code image.json} ({@code image},
 * {@code imageDigest}, {@code imageId}, {@code tags}, {@code tarball}), and {@code image.digest}
 * and {@code image.id} holding just those values, for scripts.
 */
public final class ImageOutputs {
  /** File names of a build's image outputs, removed before a new build writes them. */
  public static final List<String> FILES =
      List.of("image.tar", "image.json", "image.digest", "image.id", "sbom.cdx.json");

  /** How the partial tarball of a build under way (or killed) is named in the output directory. */
  static final String PARTIAL_PREFIX = AtomicFiles.PARTIAL_PREFIX;

  /** Made on first use: telling whether outputs are up to date needs no JSON. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private ImageOutputs() {}

  /** The tarball path of a build writing into {@code directory}. */
  public static Path tarball(Path directory) {
    return directory.resolve("image.tar");
  }

  /**
   * Removes the outputs of an earlier build so that a failed build leaves none behind, and the
   * partial files of a build that was killed. Returns what was removed.
   */
  public static List<Path> clean(Path directory) throws IOException {
    List<Path> removed = new java.util.ArrayList<>();
    for (String name : FILES) {
      if (Files.deleteIfExists(directory.resolve(name))) {
        removed.add(directory.resolve(name));
      }
    }
    if (Files.isDirectory(directory)) {
      try (var entries = Files.newDirectoryStream(directory,
          entry -> entry.getFileName().toString().startsWith(PARTIAL_PREFIX))) {
        for (Path partial : entries) {
          if (Files.deleteIfExists(partial)) {
            removed.add(partial);
          }
        }
      }
    }
    return removed;
  }

  /**
   * Removes the partial tarballs of builds that were killed while writing into {@code
   * directory}: those no build holds locked. What a build under way writes is left alone.
   */
  public static List<Path> sweepPartials(Path directory) throws IOException {
    List<Path> removed = new java.util.ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (var entries = Files.newDirectoryStream(directory, PARTIAL_PREFIX + "*.tar")) {
        for (Path partial : entries) {
          if (AtomicFiles.unlocked(partial) && Files.deleteIfExists(partial)) {
            removed.add(partial);
          }
        }
      }
    }
    return removed;
  }

  /** Writes the metadata files of {@code result} into {@code directory}, each atomically. */
  public static Path write(ImageResult result, Path directory) throws IOException {
    for (Map.Entry<String, byte[]> file : metadata(result).entrySet()) {
      AtomicFiles.write(directory.resolve(file.getKey()), file.getValue());
    }
    return directory.resolve("image.json");
  }

  /** The metadata files of {@code result} by name, as {@link #write} writes them. */
  public static Map<String, byte[]> metadata(ImageResult result) throws IOException {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("image", result.image());
    json.put("imageDigest", result.imageDigest());
    json.put("imageId", result.imageId());
    json.putPOJO("tags", result.tags());
    if (result.tarball() != null) {
      json.put("tarball", result.tarball().toString());
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("image.json", Json.MAPPER.writeValueAsBytes(json));
    files.put("image.digest", bytes(result.imageDigest()));
    files.put("image.id", bytes(result.imageId()));
    return files;
  }

  /** Whether {@code file} holds exactly {@code content}. */
  public static boolean holds(Path file, byte[] content) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == content.length
          && java.util.Arrays.equals(Files.readAllBytes(file), content);
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] bytes(String text) {
    return (text + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
