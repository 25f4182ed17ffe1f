package dev.bundler.apt;

import com.sun.net.httpserver.HttpServer;
import dev.bundler.layer.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A small APT repository made in the test: real .deb files, a Packages index, a Release signed
 * (or not) by a test key, served over HTTP on 127.0.0.1.
 */
public final class FixtureRepo implements AutoCloseable {
  private final Path root;
  private final List<Pkg> packages = new ArrayList<>();
  private HttpServer server;
  private boolean xz;
  private boolean byHash;
  public final AtomicInteger requests = new AtomicInteger();
  /** Every request served: {@code METHOD PATH}, with {@code [conditional]} when it was one. */
  public final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The {@code Authorization} headers received. */
  public final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();

  public FixtureRepo(Path root) {
    this.root = root;
  }

  /** A package to put in the repository. */
  public static final class Pkg {
    final String name;
    final String version;
    final Map<String, String> fields = new LinkedHashMap<>();
    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, String> symlinks = new LinkedHashMap<>();
    String postinst;
    boolean uncompressed;

    public Pkg(String name, String version) {
      this.name = name;
      this.version = version;
    }

    public Pkg field(String name, String value) {
      fields.put(name, value);
      return this;
    }

    public Pkg file(String path, String content) {
      files.put(path, content);
      return this;
    }

    public Pkg symlink(String path, String target) {
      symlinks.put(path, target);
      return this;
    }

    public Pkg postinst(String script) {
      postinst = script;
      return this;
    }

    /** Ships {@code data.tar} uncompressed (dpkg accepts it), so its bytes can be edited in place. */
    public Pkg uncompressed() {
      uncompressed = true;
      return this;
    }
  }

  /**
   * Publishes index files by hash too ({@code Acquire-By-Hash: yes}), keeping earlier ones, as
   * Debian's archive does.
   */
  public FixtureRepo byHash() {
    byHash = true;
    return this;
  }

  /** Publishes {@code Packages.xz} instead of {@code Packages.gz}. */
  public FixtureRepo xz() {
    xz = true;
    return this;
  }

  public Pkg add(String name, String version) {
    Pkg pkg = new Pkg(name, version);
    packages.add(pkg);
    return pkg;
  }

  /** Writes debs, Packages and Release, and signs the Release with {@code key} (null: unsigned). */
  public FixtureRepo publish(TestKey key, ZonedDateTime validUntil) throws Exception {
    StringBuilder index = new StringBuilder();
    for (Pkg pkg : packages) {
      String filename = "pool/main/" + pkg.name + "_" + pkg.version + "_amd64.deb";
      byte[] deb = deb(pkg);
      Path file = root.resolve(filename);
      Files.createDirectories(file.getParent());
      Files.write(file, deb);
      index.append(control(pkg)).append("Filename: ").append(filename).append('\n')
          .append("Size: ").append(deb.length).append('\n')
          .append("SHA256: ").append(Digests.sha256Hex(deb)).append("\n\n");
    }
    byte[] packagesText = index.toString().getBytes(StandardCharsets.UTF_8);
    String packagesName = xz ? "Packages.xz" : "Packages.gz";
    byte[] packagesGz = xz ? xz(packagesText) : gzip(packagesText);
    Path dists = Files.createDirectories(root.resolve("dists/test/main/binary-amd64"));
    Files.deleteIfExists(dists.resolve(xz ? "Packages.gz" : "Packages.xz"));
    Files.write(dists.resolve(packagesName), packagesGz);
    if (byHash) {
      Path hashed = Files.createDirectories(dists.resolve("by-hash/SHA256"));
      Files.write(hashed.resolve(Digests.sha256Hex(packagesGz)), packagesGz);
    }
    DateTimeFormatter rfc = DateTimeFormatter.RFC_1123_DATE_TIME;
    StringBuilder release = new StringBuilder("Origin: bundler-test\nSuite: test\nCodename: test\n")
        .append("Date: ").append(rfc.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1))).append('\n');
    if (validUntil != null) {
      release.append("Valid-Until: ").append(rfc.format(validUntil)).append('\n');
    }
    if (byHash) {
      release.append("Acquire-By-Hash: yes\n");
    }
    release.append("Architectures: amd64\nComponents: main\nSHA256:\n")
        .append(' ').append(Digests.sha256Hex(packagesGz)).append(' ').append(packagesGz.length)
        .append(" main/binary-amd64/").append(packagesName).append('\n');
    Path suite = root.resolve("dists/test");
    Files.writeString(suite.resolve("InRelease"), key == null ? release.toString() : key.clearsign(release.toString()));
    return this;
  }

  public Path path(String relative) {
    return root.resolve(relative);
  }

  /** Serves the repository; returns its base URL. */
  public URI serve() throws IOException {
    return serve(null, null);
  }

  /**
   * Serves the repository, with HTTP Basic authentication when {@code user} is given (401
   * otherwise), {@code ETag} and {@code Last-Modified} headers and 304 answers to conditional
   * requests; returns its base URL (without the credentials).
   */
  public URI serve(String user, String password) throws IOException {
    String expected = user == null ? null : "Basic " + java.util.Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
      String path = exchange.getRequestURI().getPath();
      log.add(exchange.getRequestMethod() + " " + path
          + (ifNoneMatch != null || ifModifiedSince != null ? " [conditional]" : ""));
      Path file = root.resolve(path.substring(1)).normalize();
      if (expected != null && !expected.equals(authorization)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fixture\"");
        exchange.sendResponseHeaders(401, -1);
      } else if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        String etag = "\"" + Digests.sha256Hex(body).substring(0, 16) + "\"";
        ZonedDateTime modified = Files.getLastModifiedTime(file).toInstant()
            .atZone(ZoneOffset.UTC).withNano(0);
        exchange.getResponseHeaders().add("ETag", etag);
        exchange.getResponseHeaders().add("Last-Modified",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(modified));
        boolean notModified = ifNoneMatch != null ? ifNoneMatch.equals(etag)
            : ifModifiedSince != null && !modified.isAfter(
                ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME));
        if (notModified) {
          exchange.sendResponseHeaders(304, -1);
        } else {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String control(Pkg pkg) {
    StringBuilder out = new StringBuilder("Package: ").append(pkg.name).append('\n')
        .append("Version: ").append(pkg.version).append('\n')
        .append("Architecture: ").append(pkg.fields.getOrDefault("Architecture", "amd64"))
        .append("\nMaintainer: test <test@bundler.invalid>\n");
    pkg.fields.forEach((name, value) -> {
      if (!name.equals("Architecture")) {
        out.append(name).append(": ").append(value).append('\n');
      }
    });
    out.append("Description: fixture ").append(pkg.name).append('\n');
    return out.toString();
  }

  public static byte[] deb(Pkg pkg) throws IOException {
    Map<String, byte[]> control = new LinkedHashMap<>();
    control.put("control", control(pkg).getBytes(StandardCharsets.UTF_8));
    if (pkg.postinst != null) {
      control.put("postinst", pkg.postinst.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream deb = new ByteArrayOutputStream();
    try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(ar, "control.tar.gz", gzip(tar(control, Map.of())));
      Map<String, byte[]> data = new LinkedHashMap<>();
      pkg.files.forEach((path, text) -> data.put(path, text.getBytes(StandardCharsets.UTF_8)));
      byte[] tar = tar(data, pkg.symlinks);
      member(ar, pkg.uncompressed ? "data.tar" : "data.tar.gz", pkg.uncompressed ? tar : gzip(tar));
    }
    return deb.toByteArray();
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
    ArArchiveEntry entry = new ArArchiveEntry(name, content.length, 0, 0, 0100644, 0);
    ar.putArchiveEntry(entry);
    ar.write(content);
    ar.closeArchiveEntry();
  }

  /** The time of every archive member: a package made twice is the same bytes. */
  private static final java.util.Date FIXED_TIME = new java.util.Date(1_767_225_600_000L);

  static byte[] tar(Map<String, byte[]> files, Map<String, String> symlinks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry("./" + file.getKey());
        entry.setModTime(FIXED_TIME);
        entry.setSize(file.getValue().length);
        entry.setMode(file.getKey().contains("bin/") ? 0100755 : 0100644);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, String> link : symlinks.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry("./" + link.getKey(), TarConstants.LF_SYMLINK);
        entry.setModTime(FIXED_TIME);
        entry.setLinkName(link.getValue());
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] xz(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (org.tukaani.xz.XZOutputStream xz =
        new org.tukaani.xz.XZOutputStream(out, new org.tukaani.xz.LZMA2Options())) {
      xz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
