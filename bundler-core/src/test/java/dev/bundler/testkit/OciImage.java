package dev.bundler.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an OCI archive tarball back, independently of the code that wrote it: index, manifest,
 * config and every layer's entries. Tests use it to check what an image really contains.
 */
public final class OciImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> files;
  private final JsonNode index;
  private final JsonNode manifest;
  private final JsonNode config;
  private final String manifestDigest;

  private OciImage(Map<String, byte[]> files) throws IOException {
    this.files = files;
    this.index = JSON.readTree(require("index.json"));
    JsonNode descriptor = index.get("manifests").get(0);
    this.manifestDigest = descriptor.get("digest").asText();
    this.manifest = JSON.readTree(blob(manifestDigest));
    this.config = JSON.readTree(blob(manifest.get("config").get("digest").asText()));
  }

  /** Reads the whole tarball (test images are small). */
  public static OciImage read(Path tarball) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (entry.isFile()) {
          files.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
        }
      }
    }
    return new OciImage(files);
  }

  public boolean hasOciLayout() {
    return files.containsKey("oci-layout");
  }

  public JsonNode index() {
    return index;
  }

  public JsonNode manifest() {
    return manifest;
  }

  public JsonNode config() {
    return config;
  }

  public String manifestDigest() {
    return manifestDigest;
  }

  /** Digests of the layer blobs, lowest first. */
  public List<String> layerDigests() {
    List<String> digests = new ArrayList<>();
    manifest.get("layers").forEach(layer -> digests.add(layer.get("digest").asText()));
    return digests;
  }

  public byte[] blob(String digest) throws IOException {
    return require("blobs/sha256/" + digest.substring("sha256:".length()));
  }

  /** The entries of one layer, by path (without a trailing slash), in tar order. */
  public Map<String, Entry> layerEntries(int index) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    byte[] blob = blob(layerDigests().get(index));
    try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("/$", "");
        byte[] content = e.isFile() ? tar.readAllBytes() : new byte[0];
        entries.put(name, new Entry(e, content));
      }
    }
    return entries;
  }

  /** Entries of all layers, upper layers overriding lower ones (no whiteout handling needed). */
  public Map<String, Entry> allEntries() throws IOException {
    Map<String, Entry> all = new LinkedHashMap<>();
    for (int i = 0; i < layerDigests().size(); i++) {
      all.putAll(layerEntries(i));
    }
    return all;
  }

  private byte[] require(String name) throws IOException {
    byte[] content = files.get(name);
    if (content == null) {
      throw new IOException("image tarball has no " + name + "; it has " + files.keySet());
    }
    return content;
  }

  /** One tar entry of a layer with its content. */
  public record Entry(TarArchiveEntry header, byte[] content) {
    public int mode() {
      return header.getMode() & 07777;
    }

    public String text() {
      return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
