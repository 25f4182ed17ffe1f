package dev.bundler.apt;

import dev.bundler.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The cached {@code InRelease} of each suite, with when the archive was last asked about it and
 * the validators ({@code ETag}, {@code Last-Modified}) for a conditional request. File names come
 * from the repository URL without its credentials. The files are untrusted like the rest of the
 * cache: an {@code InRelease} is verified by its signature every time it is used, and a state
 * file that cannot be read only means a new check.
 */
final class ReleaseCache {
  private final Path lists;

  ReleaseCache(Path lists) {
    this.lists = lists;
  }

  /**
   * What is known of a suite's last check.
   *
   * @param checked when the archive was last asked
   * @param etag the {@code ETag} of the cached file, or {@code null}
   * @param lastModified its {@code Last-Modified}, or {@code null}
   * @param absent whether the archive said the suite does not exist
   */
  record Check(Instant checked, String etag, String lastModified, boolean absent) {}

  /** The cached {@code InRelease} of {@code source}. */
  Path file(AptSource source) {
    return lists.resolve(name(source) + "InRelease");
  }

  private Path stateFile(AptSource source) {
    return lists.resolve(name(source) + "InRelease.checked");
  }

  /** The last check of {@code source}, or {@code null} if none is recorded (or readable). */
  Check check(AptSource source) {
    Path file = stateFile(source);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      state.load(in);
      return new Check(Instant.parse(state.getProperty("checked")), state.getProperty("etag"),
          state.getProperty("lastModified"), Boolean.parseBoolean(state.getProperty("absent")));
    } catch (IOException | DateTimeParseException | NullPointerException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Records a check. */
  void record(AptSource source, Check check) throws IOException {
    Properties state = new Properties();
    state.setProperty("checked", check.checked().toString());
    if (check.etag() != null) {
      state.setProperty("etag", check.etag());
    }
    if (check.lastModified() != null) {
      state.setProperty("lastModified", check.lastModified());
    }
    if (check.absent()) {
      state.setProperty("absent", "true");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    state.store(out, "when bundler last asked the archive about " + source.suite());
    AtomicFiles.write(stateFile(source), out.toByteArray());
  }

  /** Writes the verified content of {@code source}'s {@code InRelease}. */
  void write(AptSource source, byte[] content) throws IOException {
    AtomicFiles.write(file(source), content);
  }

  /** Removes the cached file and its state. */
  void evict(AptSource source) throws IOException {
    Files.deleteIfExists(file(source));
    Files.deleteIfExists(stateFile(source));
  }

  /**
   * {@code HOST_PATH_dists_SUITE_}: the repository's URL without scheme and credentials, every
   * character but letters, digits, dots and dashes replaced.
   */
  static String name(AptSource source) {
    URI uri = MirrorHttp.withoutUserInfo(source.dists(""));
    String name = uri.toString().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "")
        .replaceAll("[^A-Za-z0-9.-]", "_");
    return name.getBytes(StandardCharsets.UTF_8).length > 200
        ? dev.bundler.layer.Digests.sha256Hex(name.getBytes(StandardCharsets.UTF_8)) + "_" : name;
  }
}
