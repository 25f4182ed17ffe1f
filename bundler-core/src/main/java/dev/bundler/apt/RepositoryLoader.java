package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Loads the package indexes of an {@link AptConfig}: each suite's {@code InRelease}, verified,
 * then its {@code Packages} files, checked against the hashes the signed Release lists.
 */
public final class RepositoryLoader {
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final Downloader downloader;
  private final Path lists;
  private final EventHandler events;
  private final Instant now;
  private final Map<Path, Keyring> keyrings = new HashMap<>();
  private final Map<AptSource, ReleaseFile> releases = new HashMap<>();

  public RepositoryLoader(Path cache, boolean offline, EventHandler events, Instant now) {
    this.downloader = new Downloader(cache, offline, events);
    this.lists = cache.resolve("lists");
    this.events = events;
    this.now = now;
  }

  public Downloader downloader() {
    return downloader;
  }

  /** The index of every configured suite. */
  public PackageIndex load(AptConfig config) throws BundlerException, IOException {
    PackageIndex index = new PackageIndex();
    for (AptSource source : config.sources()) {
      ReleaseFile release = verifiedRelease(source, config);
      if (release == null) {
        continue;
      }
      for (String component : source.components()) {
        loadPackages(source, release, component, config.architecture(), index);
      }
    }
    return index;
  }

  /**
   * What the index of {@code config} is made of: each suite's and component's {@code Packages}
   * file by the SHA-256 its verified Release gives, without reading them. Two equal fingerprints
   * mean equal indexes, so a resolution can be cached under it.
   */
  public String fingerprint(AptConfig config) throws BundlerException, IOException {
    StringBuilder out = new StringBuilder(config.architecture());
    for (AptSource source : config.sources()) {
      ReleaseFile release = verifiedRelease(source, config);
      if (release == null) {
        continue;
      }
      for (String component : source.components()) {
        String name = packagesFile(release, component, config.architecture());
        ReleaseFile.Entry entry = name == null ? null : release.files().get(name);
        out.append('\n').append(dev.bundler.io.Redact.urls(source.uri().toString())).append(' ')
            .append(source.suite()).append(' ').append(component).append(' ')
            .append(entry == null ? "-" : entry.sha256());
      }
    }
    return out.toString();
  }

  /** The verified Release of {@code source}, or {@code null} for a missing optional suite. */
  private ReleaseFile verifiedRelease(AptSource source, AptConfig config)
      throws BundlerException, IOException {
    if (releases.containsKey(source)) {
      return releases.get(source);
    }
    ReleaseFile release;
    try {
      release = release(source, config);
    } catch (InvalidInputException e) {
      if (e.getCause() instanceof Downloader.NotFound && source.suite().matches(".+-(updates|security)")) {
        events.warn("No suite " + source.suite() + " at "
            + dev.bundler.io.Redact.urls(source.uri().toString()) + ": skipped");
        release = null;
      } else {
        throw e;
      }
    }
    releases.put(source, release);
    return release;
  }

  private ReleaseFile release(AptSource source, AptConfig config) throws BundlerException, IOException {
    Path cached = lists.resolve(escape(source.dists("InRelease")));
    byte[] bytes;
    if (downloader.offline() && Files.isRegularFile(cached)) {
      bytes = Files.readAllBytes(cached);
    } else {
      try {
        bytes = downloader.fetch(source.dists("InRelease"));
      } catch (Downloader.NotFound e) {
        throw new InvalidInputException("bundler.debian.suite", "The suite " + source.suite()
            + " does not exist at " + dev.bundler.io.Redact.urls(source.uri().toString()) + " (no dists/" + source.suite()
            + "/InRelease): check -Dbundler.debian.suite and -Dbundler.debian.mirror", e);
      }
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String signed;
    if (source.unsigned()) {
      events.warn("The signature of " + source + " is not checked (bundler.debian.allowUnsigned)");
      signed = text.startsWith(ClearSigned.BEGIN) ? ClearSigned.parse(text).text() : text;
    } else {
      Keyring keyring = keyring(source.keyring() != null ? source.keyring() : config.keyring());
      SignatureVerifier.Outcome outcome = SignatureVerifier.verify(text, keyring, now);
      if (!outcome.trusted()) {
        throw new InvalidInputException("bundler.debian.keyring", "The InRelease of " + source
            + " is not trusted: " + outcome.problem() + ". Checked against " + keyring
            + "; if the repository is signed by another key, set -Dbundler.debian.keyring, or "
            + "-Dbundler.debian.allowUnsigned=true to accept it unsigned");
      }
      signed = outcome.text();
    }
    ReleaseFile release;
    try {
      release = ReleaseFile.parse(signed);
    } catch (IllegalArgumentException e) {
      throw new EnvironmentException("The Release of " + source + " is unreadable: " + e.getMessage(), e);
    }
    if (!source.unsigned()) {
      checkDates(source, release);
    }
    AtomicFiles.write(cached, bytes);
    return release;
  }

  private void checkDates(AptSource source, ReleaseFile release) throws InvalidInputException {
    if (release.validUntil() != null && release.validUntil().isBefore(now)) {
      throw new InvalidInputException("bundler.debian.mirror", "The Release of " + source
          + " expired on " + release.validUntil() + " (Valid-Until): the mirror is stale or "
          + "replays an old Release. Use an up-to-date mirror");
    }
    if (release.date() != null && release.date().isAfter(now.plus(CLOCK_SKEW))) {
      throw new InvalidInputException("bundler.debian.mirror", "The Release of " + source
          + " is dated " + release.date() + ", in the future: check this machine's clock");
    }
  }

  private void loadPackages(AptSource source, ReleaseFile release, String component,
      String architecture, PackageIndex index) throws BundlerException, IOException {
    String name = packagesFile(release, component, architecture);
    if (name != null) {
      ReleaseFile.Entry entry = release.files().get(name);
      URI uri = source.dists(name);
      Path file;
      try {
        file = downloader.fetchVerified(uri, entry.sha256(), entry.size(), name);
      } catch (Downloader.HashMismatch e) {
        throw new InvalidInputException("bundler.debian.mirror", "The index "
            + dev.bundler.io.Redact.urls(uri.toString()) + " does not "
            + "match its signed Release: " + e.getMessage() + ". The mirror is inconsistent or "
            + "tampered with", e);
      }
      int before = index.size();
      try (InputStream in = decompress(file, name)) {
        Deb822.forEach(new InputStreamReader(in, StandardCharsets.UTF_8), paragraph -> {
          String arch = paragraph.get("Architecture", architecture);
          if (arch.equals(architecture) || arch.equals("all")) {
            index.add(new BinaryPackage(paragraph, source, architecture));
          }
        });
      }
      events.debug("Read " + name + " of " + source + " (" + (index.size() - before)
          + " new package names)");
      return;
    }
    String base = component + "/binary-" + architecture + "/Packages";
    throw new InvalidInputException("bundler.debian.components", "The suite " + source.suite()
        + " at " + dev.bundler.io.Redact.urls(source.uri().toString()) + " has no " + base
        + " index: check the component '" + component
        + "' and the architecture '" + architecture + "'");
  }

  /**
   * The {@code Packages} file of {@code component} the signed Release lists, best compression
   * first ({@code .xz}, {@code .gz}, plain), or {@code null} if it lists none.
   */
  private static String packagesFile(ReleaseFile release, String component, String architecture) {
    String base = component + "/binary-" + architecture + "/Packages";
    for (String suffix : List.of(".xz", ".gz", "")) {
      if (release.files().containsKey(base + suffix)) {
        return base + suffix;
      }
    }
    return null;
  }

  /** {@code file}, downloaded as {@code name}, uncompressed as its name says. */
  private static InputStream decompress(Path file, String name) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (name.endsWith(".xz")) {
      return new XZInputStream(in);
    }
    return name.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private Keyring keyring(Path file) throws InvalidInputException {
    Keyring cached = keyrings.get(file);
    if (cached == null) {
      cached = Keyring.read(file, "bundler.debian.keyring");
      keyrings.put(file, cached);
    }
    return cached;
  }

  private static String escape(URI uri) {
    return uri.toString().replaceFirst("^[a-z]+://", "").replaceAll("[^A-Za-z0-9.-]", "_");
  }
}
