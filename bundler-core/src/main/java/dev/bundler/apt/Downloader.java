package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.KeyLocks;
import dev.bundler.io.Redact;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Fetches repository files over HTTP(S) (or {@code file:}), with retries, into a cache addressed
 * by SHA-256. The cache is untrusted: a cached file is used only through a reader that hashes it
 * as it reads ({@link #read}); one that does not match is removed and fetched again once, or,
 * offline, named with the fix. In offline mode nothing is fetched at all.
 */
public final class Downloader {
  private static final int ATTEMPTS = 3;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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

  /**
   * A repository file with the hash its signed index gives.
   *
   * @param uri where it is fetched from (credentials included)
   * @param repository the repository it belongs to, for messages
   * @param sha256 its SHA-256, lower-case hex
   * @param size its size in bytes, for progress and messages
   * @param what what it is, for messages ({@code libc6 2.36-9}, {@code main/binary-amd64/Packages.xz})
   */
  record Blob(URI uri, URI repository, String sha256, long size, String what) {
    Blob {
      Objects.requireNonNull(uri, "uri");
      if (sha256 == null || !SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException("'" + sha256 + "' is not a SHA-256");
      }
    }

    static Blob of(BinaryPackage pkg) {
      return new Blob(pkg.source().pool(pkg.filename()), pkg.source().uri(), pkg.sha256(),
          pkg.size(), pkg.name() + " " + pkg.version());
    }
  }

  /** Reads a cached file; throws {@link HashingInput.Mismatch} if it is not the one expected. */
  @FunctionalInterface
  interface Reader<T> {
    T read(Path file) throws BundlerException, IOException;
  }

  /** A download that is not the file its signed index lists. */
  static final class MirrorMismatch extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    MirrorMismatch(String message) {
      super(Parameter.DEBIAN_MIRROR, message);
    }
  }

  /** Thrown for a 404: the file does not exist on the server. */
  static final class NotFound extends IOException {
    private static final long serialVersionUID = 1L;

    NotFound(URI uri) {
      super(Redact.urls(uri.toString()) + " does not exist (HTTP 404)");
    }
  }

  /**
   * The package {@code pkg}, read from the cache (or fetched) and checked against its signed
   * hash as it is unpacked under a new directory of {@code scratch}.
   */
  DebArchive debArchive(BinaryPackage pkg, Path scratch) throws BundlerException, IOException {
    String name = pkg.name() + " " + pkg.version();
    try {
      return read(Blob.of(pkg), deb -> DebArchive.read(deb, pkg.sha256(), name,
          Files.createTempDirectory(scratch, pkg.name() + "-")));
    } catch (NotFound e) {
      throw new EnvironmentException("The Debian package " + name + " is no longer on the mirror ("
          + e.getMessage() + "): the archive has moved on since bundler last asked it "
          + "(" + Parameter.DEBIAN_UPDATE_POLICY.named() + "). Build with " + Parameter.FORCE_UPDATE
          + " to ask it now; with a lockfile, run mvn bundler:plan to pin the current versions", e);
    }
  }

  /**
   * What {@code reader} reads from the cached file of {@code blob}, fetched first when absent.
   * The reader checks the hash as it reads; when the cached file does not match, it is evicted
   * and fetched once more (online), or the build fails naming it (offline).
   *
   * @throws EnvironmentException on a network failure, or offline when the file is not cached
   * @throws InvalidInputException if the mirror serves a file that does not match its signed
   *     hash, or offline if the cached one does not
   */
  <T> T read(Blob blob, Reader<T> reader) throws BundlerException, IOException {
    Path cached = blob(blob.sha256());
    Object seen = fileKey(cached);
    if (seen != null) {
      try {
        return reader.read(cached);
      } catch (HashingInput.Mismatch e) {
        evict(blob, cached, seen, e);
      }
    }
    requireOnline(blob.uri());
    new KeyLocks(cache.resolve("locks")).with(blob.sha256(), () -> {
      if (fileKey(cached) == null) {
        download(blob, cached);
      }
      return cached;
    });
    try {
      return reader.read(cached);
    } catch (HashingInput.Mismatch e) {
      throw new EnvironmentException("The file " + cached + " changed in bundler's cache while "
          + "it was read (" + e.getMessage() + "): is another program writing there? Build again", e);
    }
  }

  private void evict(Blob blob, Path cached, Object seen, HashingInput.Mismatch mismatch)
      throws BundlerException, IOException {
    new KeyLocks(cache.resolve("locks")).with(blob.sha256(), () -> {
      if (seen.equals(fileKey(cached))) {
        Files.deleteIfExists(cached);
      }
      return null;
    });
    String what = "The cached " + blob.what() + " " + cached + " is not the file its signed index "
        + "lists (" + mismatch.getMessage() + "): the cache was damaged or tampered with";
    if (offline) {
      throw new InvalidInputException(Parameter.CACHE_DIRECTORY, what + ". bundler removed it; "
          + "build once online (without " + Parameter.OFFLINE.named() + ") to fetch it again",
          mismatch);
    }
    events.warn(what + ". Removed; fetching it again from " + Redact.urls(blob.uri().toString()));
  }

  private static Object fileKey(Path file) throws IOException {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        return null;
      }
      Object key = attributes.fileKey();
      return key != null ? key : attributes.lastModifiedTime();
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private void download(Blob blob, Path cached) throws BundlerException, IOException {
    Path partial = Files.createTempFile(temporary(), "blob-", ".part");
    try {
      Outcome fetched = download(blob.uri(), partial, Map.of(), blob.size(), blob.what());
      if (!fetched.sha256().equals(blob.sha256())) {
        throw new MirrorMismatch("The " + blob.what() + " at "
            + Redact.urls(blob.uri().toString()) + " does not match its signed index: it has sha256 "
            + fetched.sha256() + " (" + Files.size(partial) + " bytes) where the index says "
            + blob.sha256() + " (" + blob.size() + " bytes). The mirror "
            + Redact.urls(String.valueOf(blob.repository())) + " is inconsistent (in the middle of "
            + "an update: try again later) or tampered with (set " + Parameter.DEBIAN_MIRROR
            + " to another)");
      }
      Files.createDirectories(cached.getParent());
      AtomicFiles.move(partial, cached);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * The outcome of a fetch of a small file (an {@code InRelease}).
   *
   * @param body the content, or {@code null} when the server said it is not modified
   * @param sha256 the content's SHA-256
   * @param etag the server's {@code ETag}, or {@code null}
   * @param lastModified the server's {@code Last-Modified}, or {@code null}
   */
  record Fetched(byte[] body, String sha256, String etag, String lastModified) {
    boolean notModified() {
      return body == null;
    }
  }

  /**
   * The file at {@code uri}, fetched now; a conditional request when {@code etag} or {@code
   * lastModified} (the validators of the copy the caller has) are given, and then {@link
   * Fetched#notModified()} if the server says that copy is current.
   */
  Fetched fetch(URI uri, String etag, String lastModified) throws BundlerException, IOException {
    requireOnline(uri);
    Map<String, String> conditions = new LinkedHashMap<>();
    if (etag != null) {
      conditions.put("If-None-Match", etag);
    }
    if (lastModified != null) {
      conditions.put("If-Modified-Since", lastModified);
    }
    Path partial = Files.createTempFile(temporary(), "fetch-", ".part");
    try {
      Outcome fetched = download(uri, partial, conditions, -1, Redact.urls(uri.toString()));
      return new Fetched(fetched.notModified() ? null : Files.readAllBytes(partial),
          fetched.sha256(), fetched.etag(), fetched.lastModified());
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  Path blob(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("'" + sha256 + "' is not a SHA-256");
    }
    return cache.resolve("blobs").resolve(sha256);
  }

  private Path temporary() throws IOException {
    return Files.createDirectories(cache.resolve("tmp"));
  }

  private void requireOnline(URI uri) throws EnvironmentException {
    if (offline) {
      throw new EnvironmentException("Offline (" + Parameter.OFFLINE.named() + "): "
          + Redact.urls(uri.toString())
          + " is not in bundler's cache " + cache + ". Run once online to fill the cache");
    }
  }

  /** Thrown when the server refuses the request (HTTP 401, 403): not retried. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** What one download did: wrote the file (its hash), or found it not modified. */
  private record Outcome(boolean notModified, String sha256, String etag, String lastModified) {}

  /** Downloads to {@code target}, retrying transient failures. */
  private Outcome download(URI uri, Path target, Map<String, String> conditions, long expectedSize,
      String what) throws BundlerException, IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return attempt(uri, target, conditions, expectedSize, what);
      } catch (NotFound e) {
        throw e;
      } catch (Refused e) {
        throw new InvalidInputException(Parameter.DEBIAN_MIRROR, Redact.urls(uri.toString())
            + " was refused (" + e.getMessage() + "): give the mirror's user and password in its "
            + "URL (" + Parameter.DEBIAN_MIRROR.withValue("https://USER:PASSWORD@HOST/debian")
            + "), or check them", e);
      } catch (IOException e) {
        last = e;
        events.warn("Download of " + Redact.urls(uri.toString()) + " failed ("
            + Redact.urls(e.getMessage()) + "), attempt " + attempt + " of " + ATTEMPTS);
        sleep(attempt);
      }
    }
    throw new EnvironmentException("Cannot download " + Redact.urls(uri.toString()) + " after "
        + ATTEMPTS + " attempts: " + Redact.urls(last.getMessage())
        + ". Check the network and the mirror", last);
  }

  private Outcome attempt(URI uri, Path target, Map<String, String> conditions, long expectedSize,
      String what) throws IOException {
    MirrorHttp.Response response = open(uri, conditions);
    if (response.status() == 304 && !conditions.isEmpty()) {
      response.body().close();
      return new Outcome(true, null, response.etag(), response.lastModified());
    }
    MessageDigest digest = Digests.sha256();
    try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
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
    return new Outcome(false, Digests.hex(digest.digest()), response.etag(),
        response.lastModified());
  }

  private static MirrorHttp.Response open(URI uri, Map<String, String> conditions)
      throws IOException {
    if ("file".equals(uri.getScheme())) {
      Path path = Path.of(uri);
      if (!Files.exists(path)) {
        throw new NotFound(uri);
      }
      return new MirrorHttp.Response(200, Files.newInputStream(path), null, null);
    }
    MirrorHttp.Response response = MirrorHttp.get(uri, conditions);
    int status = response.status();
    if (status == 200 || status == 304) {
      return response;
    }
    response.body().close();
    if (status == 404 || status == 410) {
      throw new NotFound(uri);
    }
    if (status == 401 || status == 403) {
      throw new Refused("HTTP " + status);
    }
    throw new IOException("HTTP " + status);
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
