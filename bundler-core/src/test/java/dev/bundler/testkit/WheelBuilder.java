package dev.bundler.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Makes wheels in tests: correct ones, and ones broken in a chosen way. */
public final class WheelBuilder {
  private final String name;
  private final String version;
  private String tag = "py3-none-any";
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Integer> modes = new LinkedHashMap<>();
  private final List<String> requires = new ArrayList<>();
  private final Set<String> badHashes = new TreeSet<>();
  private final Set<String> unrecorded = new TreeSet<>();
  private final List<String> extraRecordLines = new ArrayList<>();
  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private String requiresPython;
  private String entryPoints;
  private String metadataName;

  private WheelBuilder(String name, String version) {
    this.name = name;
    this.version = version;
  }

  public static WheelBuilder wheel(String name, String version) {
    return new WheelBuilder(name, version);
  }

  public WheelBuilder tag(String value) {
    this.tag = value;
    return this;
  }

  public WheelBuilder file(String path, String text) {
    return file(path, text, 0644);
  }

  public WheelBuilder file(String path, String text, int mode) {
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
    modes.put(path, mode);
    return this;
  }

  public WheelBuilder requires(String requirement) {
    requires.add(requirement);
    return this;
  }

  public WheelBuilder requiresPython(String specifier) {
    this.requiresPython = specifier;
    return this;
  }

  public WheelBuilder entryPoints(String text) {
    this.entryPoints = text;
    return this;
  }

  /** RECORD gets a wrong hash for {@code path}. */
  public WheelBuilder badHash(String path) {
    badHashes.add(path);
    return this;
  }

  /** {@code path} is left out of RECORD. */
  public WheelBuilder unrecorded(String path) {
    unrecorded.add(path);
    return this;
  }

  /** A RECORD line for a file the zip lacks. */
  public WheelBuilder recordsMissing(String path) {
    extraRecordLines.add(path + ",sha256=AAAA,1");
    return this;
  }

  /** A zip entry marked as a symbolic link. */
  public WheelBuilder symlink(String path, String target) {
    symlinks.put(path, target);
    return this;
  }

  /** METADATA says another name than the file name. */
  public WheelBuilder metadataName(String value) {
    this.metadataName = value;
    return this;
  }

  public String distInfo() {
    return name.replace('-', '_') + "-" + version + ".dist-info";
  }

  /** Writes the wheel into {@code directory} and returns its path. */
  public Path writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    Map<String, byte[]> all = new LinkedHashMap<>(files);
    StringBuilder metadata = new StringBuilder("Metadata-Version: 2.1\nName: ")
        .append(metadataName == null ? name : metadataName).append("\nVersion: ").append(version).append('\n');
    if (requiresPython != null) {
      metadata.append("Requires-Python: ").append(requiresPython).append('\n');
    }
    requires.forEach(r -> metadata.append("Requires-Dist: ").append(r).append('\n'));
    all.put(distInfo() + "/METADATA", metadata.toString().getBytes(StandardCharsets.UTF_8));
    boolean pure = tag.endsWith("-any");
    all.put(distInfo() + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: bundler-tests\nRoot-Is-Purelib: "
        + pure + "\nTag: " + tag + "\n").getBytes(StandardCharsets.UTF_8));
    if (entryPoints != null) {
      all.put(distInfo() + "/entry_points.txt", entryPoints.getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> file : all.entrySet()) {
      if (unrecorded.contains(file.getKey())) {
        continue;
      }
      byte[] hashed = badHashes.contains(file.getKey())
          ? "tampered".getBytes(StandardCharsets.UTF_8) : file.getValue();
      record.append(file.getKey()).append(",sha256=").append(hash(hashed)).append(',')
          .append(file.getValue().length).append('\n');
    }
    extraRecordLines.forEach(line -> record.append(line).append('\n'));
    record.append(distInfo()).append("/RECORD,,\n");
    all.put(distInfo() + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));

    Path wheel = directory.resolve(name.replace('-', '_') + "-" + version + "-" + tag + ".whl");
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> file : all.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
        entry.setUnixMode(0100000 | modes.getOrDefault(file.getKey(), 0644));
        entry.setTime(315532800000L);
        zip.putArchiveEntry(entry);
        zip.write(file.getValue());
        zip.closeArchiveEntry();
      }
      for (Map.Entry<String, String> link : symlinks.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(link.getKey());
        entry.setUnixMode(0120777);
        zip.putArchiveEntry(entry);
        zip.write(link.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
      }
    }
    return wheel;
  }

  private static String hash(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
