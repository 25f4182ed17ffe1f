package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.image.BaseImage;
import dev.bundler.image.ImageOutputs;
import dev.bundler.image.ImageResult;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.CacheKey;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tells, before anything else is done, that the output directory already holds the image a
 * build would make, as Maven's incremental builds and make do: the outputs carry a sealed record
 * of every input that decides the image (the request's values, and the files and directories it
 * names by size, modification time and inode: wheelhouse, find-links, templates, lockfile,
 * keyrings, the machine's APT configuration, the container runtime, bundler itself), of the
 * outputs as written, and of when the Debian archive is next due for a check. While all of that
 * holds, the image would come out the same: nothing is read or written. Anything else takes the
 * full build, which checks every cached blob by its hash.
 */
final class UpToDate {
  static final String FILE = ".bundler-state";
  private static final String FORMAT = "bundler-state/1";

  private UpToDate() {}

  /** What the last build recorded, when it still holds for {@code request} now, else null. */
  static dev.bundler.BuildResult check(BundleRequest request, CacheSeal seal, Instant now) {
    try {
      if (!applies(request)) {
        return null;
      }
      byte[] sealed = seal.read(request.outputDirectory().resolve(FILE));
      if (sealed == null) {
        return null;
      }
      Map<String, String> state = parse(new String(sealed, StandardCharsets.UTF_8));
      if (!fingerprint(request).equals(state.get("fingerprint"))
          || !now.isBefore(Instant.parse(state.get("validUntil")))
          || !outputs(request.outputDirectory()).equals(state.get("outputs"))) {
        return null;
      }
      Path tarball = ImageOutputs.tarball(request.outputDirectory()).toAbsolutePath();
      ImageResult image = new ImageResult(state.get("image"), state.get("digest"), state.get("id"),
          split(state.get("tags")), tarball);
      return new dev.bundler.BuildResult(image, request.outputDirectory().resolve("image.json"),
          split(state.get("distributions")), null);
    } catch (IOException | RuntimeException e) {
      return null; // anything unexpected: the full build decides
    }
  }

  /**
   * Records, after a build of {@code request} wrote (or found) {@code result}, what it depended
   * on; {@code validUntil} is when the Debian archive is next to be asked.
   */
  static void record(BundleRequest request, dev.bundler.BuildResult result, Instant validUntil,
      CacheSeal seal) throws IOException {
    Path file = request.outputDirectory().resolve(FILE);
    if (!applies(request)) {
      Files.deleteIfExists(file);
      return;
    }
    Map<String, String> state = new LinkedHashMap<>();
    state.put("format", FORMAT);
    state.put("fingerprint", fingerprint(request));
    state.put("validUntil", validUntil.toString());
    state.put("outputs", outputs(request.outputDirectory()));
    state.put("image", result.image().image());
    state.put("digest", result.image().imageDigest());
    state.put("id", result.image().imageId());
    state.put("tags", String.join(",", result.image().tags()));
    state.put("distributions", String.join(",", result.distributions()));
    StringBuilder text = new StringBuilder();
    state.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    seal.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Registry bases can change under the same tag: every build looks at them. */
  private static boolean applies(BundleRequest request) {
    return !(request.base() instanceof BaseImage.Registry) && request.application().pinned();
  }

  /** Everything that decides the image, hashed; credentials never enter it. */
  static String fingerprint(BundleRequest request) throws IOException {
    BundleRequest withoutSecrets = request.withoutCredentials();
    CacheKey key = CacheKey.of(FORMAT).with("request", withoutSecrets.toString())
        .with("bundler", Bundler.version());
    stamp(key, "bundler jar", codeSource());
    stamp(key, "application wheel", request.application().wheel());
    listing(key, "wheelhouse", request.wheelhouse());
    for (String link : request.compile().findLinks()) {
      if (!link.contains("://")) {
        listing(key, "find-links", Path.of(link));
      }
    }
    stamp(key, "pip.conf", request.compile().pipConf());
    stamp(key, "constraints", request.compile().constraints());
    listing(key, "templates", request.templates());
    stamp(key, "lockfile", request.lockFile());
    if (request.base() instanceof BaseImage.Tarball tarball) {
      stamp(key, "base", tarball.path());
    }
    stamp(key, "keyring", request.debian().keyring());
    for (String directory : List.of("/etc/apt", "/etc/apt/sources.list.d",
        "/etc/apt/trusted.gpg.d", "/usr/share/keyrings")) {
      listing(key, "apt", Path.of(directory));
    }
    for (String runtime : List.of("podman", "docker")) {
      stamp(key, "runtime " + runtime, onPath(runtime));
    }
    return key.build();
  }

  /** The outputs as they are: each file's size, modification time and inode. */
  private static String outputs(Path directory) throws IOException {
    StringBuilder stamps = new StringBuilder();
    List<String> names = new ArrayList<>(ImageOutputs.FILES);
    names.add(ImageStage.LOCK_COPY);
    for (String name : names) {
      Path file = directory.resolve(name);
      stamps.append(name).append(':').append(stampOf(file)).append(';');
    }
    return stamps.toString();
  }

  private static void stamp(CacheKey key, String name, Path file) throws IOException {
    key.with(name, file == null ? "-" : file + " " + stampOf(file));
  }

  private static void listing(CacheKey key, String name, Path directory) throws IOException {
    if (directory == null || !Files.isDirectory(directory)) {
      key.with(name, directory + " absent");
      return;
    }
    Map<String, String> entries = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        entries.put(file.getFileName().toString(), stampOf(file));
      }
    }
    key.with(name, directory + " " + entries);
  }

  private static String stampOf(Path file) throws IOException {
    if (file == null || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return "absent";
    }
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String target = Files.isSymbolicLink(file) ? " -> " + Files.readSymbolicLink(file)
        + (Files.exists(file) ? " " + stampOf(file.toRealPath()) : "") : "";
    return attributes.size() + "/" + attributes.lastModifiedTime().toInstant() + "/"
        + attributes.fileKey() + target;
  }

  private static Path codeSource() {
    try {
      return Path.of(Bundler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      return null;
    }
  }

  private static Path onPath(String name) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
        return Path.of(directory, name);
      }
    }
    return null;
  }

  private static Map<String, String> parse(String text) {
    Map<String, String> state = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        state.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    if (!FORMAT.equals(state.get("format"))) {
      throw new IllegalArgumentException("another format");
    }
    return state;
  }

  private static List<String> split(String value) {
    return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
  }

  /** Forgets the record (the outputs are being replaced or removed). */
  static void forget(Path outputDirectory) throws IOException {
    Files.deleteIfExists(outputDirectory.resolve(FILE));
  }
}
