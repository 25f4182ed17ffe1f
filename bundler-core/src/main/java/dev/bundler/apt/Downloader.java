package dev.bundler.apt;

import dev.bundler.EnvironmentException;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.KeyLocks;
import dev.bundler.io.Redact;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Fetches repository files over HTTP(S) (or {@code file:}), with retries, into a cache addressed
 * by SHA-256: a file whose hash is known is never fetched twice, and in offline mode nothing is
 * fetched at all.
 */
public final class Downloader {
  private static final int ATTEMPTS = 3;
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(20))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();

  private final Path cache;
  private final boolean offline;
  private final EventHandler events;

  public Downloader(Path cache, boolean offline, EventHandler events) {
    this.cache = cache;
    this.offline = offline;
    this.events = events;
  }

  public boolean offline() {
    return offline;
  }

  /** Thrown for a 404: the file does not exist on the server. */
  static final class NotFound extends IOException {
    private static final long serialVersionUID = 1L;

    NotFound(URI uri) {
      super(Redact.urls(uri.toString()) + " does not exist (HTTP 404)");
    }
  }

  /** The bytes at {@code uri}, fetched now (small files: InRelease). */
  byte[] fetch(URI uri) throws IOException, EnvironmentException {
    requireOnline(uri);
    Path partial = Files.createTempFile(temporary(), "fetch-", ".part");
    try {
      download(uri, partial, -1, uri.toString());
      return Files.readAllBytes(partial);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * The cached file with {@code sha256}, fetched from {@code uri} if absent and checked.
   *
   * @throws EnvironmentException on a network failure, or in offline mode when not cached
   * @throws HashMismatch if the server's file differs from the one the index promised
   */
  Path fetchVerified(URI uri, String sha256, long size, String what)
      throws IOException, EnvironmentException {
    Path cached = blob(sha256);
    if (Files.isRegularFile(cached) && Files.size(cached) == size) {
      return cached;
    }
    requireOnline(uri);
    return new KeyLocks(cache.resolve("locks")).with(sha256, () ->
        Files.isRegularFile(cached) && Files.size(cached) == size
            ? cached : download(uri, sha256, size, what, cached));
  }

  private Path download(URI uri, String sha256, long size, String what, Path cached)
      throws IOException, EnvironmentException {
    Path partial = Files.createTempFile(temporary(), "blob-", ".part");
    try {
      String actual = download(uri, partial, size, what);
      if (!actual.equals(sha256) || Files.size(partial) != size) {
        throw new HashMismatch(uri, sha256, actual, size, Files.size(partial));
      }
      Files.createDirectories(cached.getParent());
      AtomicFiles.move(partial, cached);
      return cached;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** A download whose content is not what the signed index says. */
  static final class HashMismatch extends IOException {
    private static final long serialVersionUID = 1L;

    HashMismatch(URI uri, String expected, String actual, long expectedSize, long actualSize) {
      super(Redact.urls(uri.toString()) + " has sha256 " + actual + " (" + actualSize + " bytes) but the signed index "
          + "says " + expected + " (" + expectedSize + " bytes)");
    }
  }

  Path blob(String sha256) {
    return cache.resolve("blobs").resolve(sha256);
  }

  private Path temporary() throws IOException {
    return Files.createDirectories(cache.resolve("tmp"));
  }

  private void requireOnline(URI uri) throws EnvironmentException {
    if (offline) {
      throw new EnvironmentException("Offline (mvn -o): " + Redact.urls(uri.toString())
          + " is not in bundler's cache "
          + cache + ". Run once online to fill the cache");
    }
  }

  /** Downloads to {@code target}, retrying transient failures; returns the SHA-256 (hex). */
  private String download(URI uri, Path target, long expectedSize, String what)
      throws IOException, EnvironmentException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return attempt(uri, target, expectedSize, what);
      } catch (NotFound e) {
        throw e;
      } catch (IOException e) {
        last = e;
        events.warn("Download of " + Redact.urls(uri.toString()) + " failed (" + e.getMessage()
            + "), attempt " + attempt
            + " of " + ATTEMPTS);
        sleep(attempt);
      }
    }
    throw new EnvironmentException("Cannot download " + Redact.urls(uri.toString()) + " after " + ATTEMPTS
        + " attempts: " + last.getMessage() + ". Check the network and the mirror", last);
  }

  private String attempt(URI uri, Path target, long expectedSize, String what) throws IOException {
    MessageDigest digest = Digests.sha256();
    try (InputStream in = open(uri); OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[1 << 16];
      long done = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        digest.update(buffer, 0, n);
        done += n;
        if (expectedSize > (4 << 20)) {
          events.progress("Downloading " + what, done, expectedSize, "bytes");
        }
      }
    }
    return Digests.hex(digest.digest());
  }

  private static InputStream open(URI uri) throws IOException {
    if ("file".equals(uri.getScheme())) {
      Path path = Path.of(uri);
      if (!Files.exists(path)) {
        throw new NotFound(uri);
      }
      return Files.newInputStream(path);
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
        .header("User-Agent", "bundler").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    int status = response.statusCode();
    if (status == 404 || status == 410) {
      response.body().close();
      throw new NotFound(uri);
    }
    if (status != 200) {
      response.body().close();
      throw new IOException("HTTP " + status);
    }
    return response.body();
  }

  private static void sleep(int attempt) throws EnvironmentException {
    try {
      Thread.sleep(500L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while downloading", e);
    }
  }
}
