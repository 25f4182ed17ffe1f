package dev.bundler.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A base image read from a tarball: its config and its layers, from either a {@code docker save}
 * archive ({@code manifest.json}) or an OCI image layout archive ({@code index.json}).
 */
record ImageArchive(ObjectNode config, List<ArchiveLayer> layers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An image with no layers and an empty config: the base of {@code scratch}. */
  static ImageArchive empty() {
    return new ImageArchive(JSON.createObjectNode(), List.of());
  }

  /**
   * Extracts {@code tarball} into {@code directory} and reads it.
   *
   * @throws InvalidInputException naming {@code bundler.from} if the tarball is not an image
   */
  static ImageArchive read(Path tarball, Path directory, String architecture)
      throws IOException, InvalidInputException {
    extract(tarball, directory);
    try {
      if (Files.isRegularFile(directory.resolve("manifest.json"))) {
        return readDocker(directory);
      }
      if (Files.isRegularFile(directory.resolve("index.json"))) {
        return readOci(directory, architecture);
      }
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the text it read: say where, never what.
      throw notAnImage(tarball, "one of its JSON files is not valid JSON (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (RuntimeException | IOException e) {
      throw notAnImage(tarball, e.getMessage());
    }
    throw notAnImage(tarball, "it has neither manifest.json nor index.json");
  }

  private static ImageArchive readDocker(Path directory) throws IOException {
    JsonNode manifest = JSON.readTree(directory.resolve("manifest.json").toFile()).get(0);
    ObjectNode config =
        (ObjectNode) JSON.readTree(inside(directory, manifest.get("Config").asText()).toFile());
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    List<ArchiveLayer> layers = new ArrayList<>();
    JsonNode files = manifest.get("Layers");
    if (files.size() != diffIds.size()) {
      throw new IOException(
          "its manifest lists " + files.size() + " layers, its config " + diffIds.size());
    }
    for (int i = 0; i < files.size(); i++) {
      Path file = inside(directory, files.get(i).asText());
      layers.add(new ArchiveLayer(file, diffIds.get(i).asText(), isGzip(file)));
    }
    return new ImageArchive(config, layers);
  }

  private static ImageArchive readOci(Path directory, String architecture) throws IOException {
    JsonNode descriptor = pickManifest(directory, JSON.readTree(directory.resolve("index.json").toFile()), architecture);
    JsonNode manifest = JSON.readTree(blob(directory, descriptor.get("digest").asText()).toFile());
    if (manifest.has("manifests")) {
      descriptor = pickManifest(directory, manifest, architecture);
      manifest = JSON.readTree(blob(directory, descriptor.get("digest").asText()).toFile());
    }
    ObjectNode config =
        (ObjectNode) JSON.readTree(blob(directory, manifest.path("config").path("digest").asText()).toFile());
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    JsonNode layerDescriptors = manifest.get("layers");
    if (layerDescriptors.size() != diffIds.size()) {
      throw new IOException(
          "its manifest lists " + layerDescriptors.size() + " layers, its config " + diffIds.size());
    }
    List<ArchiveLayer> layers = new ArrayList<>();
    for (int i = 0; i < layerDescriptors.size(); i++) {
      JsonNode layer = layerDescriptors.get(i);
      String mediaType = layer.path("mediaType").asText();
      if (mediaType.contains("zstd")) {
        throw new IOException("layer " + i + " is zstd-compressed, which jib-core cannot read");
      }
      Path file = blob(directory, layer.get("digest").asText());
      layers.add(new ArchiveLayer(file, diffIds.get(i).asText(), isGzip(file)));
    }
    return new ImageArchive(config, layers);
  }

  private static JsonNode pickManifest(Path directory, JsonNode index, String architecture)
      throws IOException {
    JsonNode manifests = index.path("manifests");
    if (manifests.size() == 1) {
      return manifests.get(0);
    }
    for (JsonNode candidate : manifests) {
      JsonNode platform = candidate.path("platform");
      if (platform.path("os").asText("linux").equals("linux")
          && platform.path("architecture").asText().equals(architecture)) {
        return candidate;
      }
    }
    throw new IOException(
        "it holds " + manifests.size() + " images and none for linux/" + architecture);
  }

  private static Path blob(Path directory, String digest) throws IOException {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IOException("unsupported digest " + digest);
    }
    return inside(directory, "blobs/sha256/" + digest.substring(7));
  }

  private static Path inside(Path directory, String name) throws IOException {
    Path file = directory.resolve(name).normalize();
    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
      throw new IOException("it lacks " + name);
    }
    return file;
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /**
   * Unpacks {@code tarball}. A file that is no tar archive is the user's to fix, and its bytes
   * never reach a message: tar's parser quotes the header it could not read, which for {@code
   * -Dbundler.from=/etc/shadow} would be the file's first line.
   */
  private static void extract(Path tarball, Path directory) throws IOException, InvalidInputException {
    Files.createDirectories(directory);
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(file, "UTF-8")) {
      for (TarArchiveEntry entry; (entry = nextEntry(tarball, tar)) != null; ) {
        Path target = directory.resolve(entry.getName()).normalize();
        if (!target.startsWith(directory)) {
          throw notAnImage(tarball, "its entry " + entry.getName() + " escapes the archive");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          try {
            Files.copy(tar, target);
          } catch (java.nio.file.FileSystemException e) {
            throw e; // the scratch directory's, not the tarball's
          } catch (IOException e) {
            throw notAnImage(tarball, "it is truncated or damaged");
          }
        }
      }
    } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
      if (!tarball.equals(Path.of(e.getFile() == null ? "" : e.getFile()))) {
        throw e;
      }
      throw new InvalidInputException(Parameter.FROM, "The base image tarball " + tarball
          + " cannot be read (" + (e instanceof java.nio.file.AccessDeniedException
              ? "permission denied" : "no such file") + "): fix " + Parameter.FROM);
    }
  }

  private static TarArchiveEntry nextEntry(Path tarball, TarArchiveInputStream tar)
      throws InvalidInputException {
    try {
      return tar.getNextEntry();
    } catch (IOException | RuntimeException e) {
      throw notAnImage(tarball, "it is not a tar archive, or a damaged one");
    }
  }

  /** Says what is wrong with {@code tarball}; no cause is kept, as causes may quote its bytes. */
  private static InvalidInputException notAnImage(Path tarball, String why) {
    return new InvalidInputException(
        Parameter.FROM,
        "The base image tarball " + tarball + " is not a readable image (" + why + "): give "
            + Parameter.FROM + " an OCI archive or a 'docker save' tarball (not compressed)");
  }
}
