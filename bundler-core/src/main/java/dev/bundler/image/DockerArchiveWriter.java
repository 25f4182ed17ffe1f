package dev.bundler.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a {@code docker save} style tarball holding a base image's layers followed by bundler's
 * own, for jib-core to start from.
 *
 * <p>This is how bundler's pre-built layers reach jib-core intact: jib-core's own file layers turn
 * symbolic links into copies (jib issue 2275), but the layers of a tarball base are copied byte for
 * byte, with their digests. Every layer goes in gzip-compressed (jib-core decides for all layers
 * by looking at the first one), uncompressed base layers are compressed on the way.
 */
final class DockerArchiveWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchiveWriter() {}

  static void write(
      Path tarball,
      ImageArchive base,
      List<ImageLayer> layers,
      String architecture,
      Instant created,
      Path scratch)
      throws IOException {
    ObjectNode config = base.config().deepCopy();
    config.put("architecture", config.path("architecture").asText(architecture));
    config.put("os", config.path("os").asText("linux"));
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    boolean baseHasHistory = config.path("history").isArray();
    ArrayNode history = baseHasHistory ? (ArrayNode) config.get("history") : config.putArray("history");

    List<Path> files = new ArrayList<>();
    for (ArchiveLayer layer : base.layers()) {
      diffIds.add(layer.diffId());
      if (!baseHasHistory) {
        history.addObject().put("created_by", "base image layer");
      }
      files.add(layer.gzipped() ? layer.file() : gzip(layer.file(), scratch));
    }
    for (ImageLayer layer : layers) {
      diffIds.add(layer.layer().diffId());
      files.add(layer.layer().blob());
      ObjectNode entry = history.addObject();
      entry.put("created", created.toString());
      entry.put("created_by", "bundler: " + layer.description());
    }

    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      ArrayNode layerNames = JSON.createArrayNode();
      for (int i = 0; i < files.size(); i++) {
        String name = "layer-" + i + ".tar.gz";
        layerNames.add(name);
        addFile(tar, name, files.get(i));
      }
      addBytes(tar, "config.json", JSON.writeValueAsBytes(config));
      ArrayNode manifest = JSON.createArrayNode();
      ObjectNode entry = manifest.addObject();
      entry.put("Config", "config.json");
      entry.putArray("RepoTags");
      entry.set("Layers", layerNames);
      addBytes(tar, "manifest.json", JSON.writeValueAsBytes(manifest));
      tar.finish();
    }
  }

  private static Path gzip(Path layer, Path scratch) throws IOException {
    Path compressed = Files.createTempFile(scratch, "base-layer-", ".tar.gz");
    try (InputStream in = Files.newInputStream(layer);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed), 1 << 16)) {
      in.transferTo(out);
    }
    return compressed;
  }

  private static void addFile(TarArchiveOutputStream tar, String name, Path file)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(Files.size(file));
    entry.setModTime(0);
    tar.putArchiveEntry(entry);
    Files.copy(file, tar);
    tar.closeArchiveEntry();
  }

  private static void addBytes(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setModTime(0);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
