package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.Redact;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the package indexes of an {@link AptConfig}: each suite's {@code InRelease}, verified,
 * then its {@code Packages} files, checked against the hashes the signed Release lists.
 */
public final class RepositoryLoader {
  private final Downloader downloader;
  private final ReleaseCache releaseCache;
  private final EventHandler events;
  private final Instant now;
  private final UpdatePolicy policy;
  private final boolean forceUpdate;
  private final ReleaseVerifier verifier;
  private Instant nextCheck = Instant.MAX;
  private final Map<AptSource, ReleaseFile> releases = new HashMap<>();
  /** The suites whose Release comes from the cache, not checked in this run. */
  private final java.util.Set<AptSource> unchecked = new java.util.HashSet<>();

  /** A loader that asks the archive about every suite on each load ({@code always}). */
  public RepositoryLoader(Path cache, boolean offline, EventHandler events, Instant now) {
    this(cache, offline, events, now, UpdatePolicy.ALWAYS, false);
  }

  /**
   * A loader caching under {@code cache}.
   *
   * @param offline make no request: use what is cached, or fail naming what is missing
   * @param now the time signatures, {@code Valid-Until} and the update policy are judged at
   * @param policy how often the archive is asked whether a suite changed
   * @param forceUpdate ask whatever the policy says ({@code mvn -U})
   */
  public RepositoryLoader(Path cache, boolean offline, EventHandler events, Instant now,
      UpdatePolicy policy, boolean forceUpdate) {
    this.downloader = new Downloader(cache, offline, events);
    this.releaseCache = new ReleaseCache(cache.resolve("lists"));
    this.events = events;
    this.now = now;
    this.policy = policy;
    this.forceUpdate = forceUpdate;
    this.verifier = new ReleaseVerifier(now, events, cache.resolve("verified"));
  }

  public Downloader downloader() {
    return downloader;
  }

  /**
   * The index of every configured suite. When a suite's Release came from the cache without a
   * check and its index files are no longer served (the archive moved on), the suite is checked
   * now and read again.
   */
  public PackageIndex load(AptConfig config) throws BundlerException, IOException {
    PackageIndex index = new PackageIndex();
    for (AptSource source : config.sources()) {
      ReleaseFile release = verifiedRelease(source, config);
      if (release == null) {
        continue;
      }
      List<BinaryPackage> packages;
      try {
        packages = packages(source, release, config.architecture());
      } catch (Downloader.MirrorMismatch | Downloader.NotFound e) {
        if (!unchecked.remove(source)) {
          if (e instanceof Downloader.NotFound notFound) {
            throw missingIndex(source, notFound);
          }
          throw (Downloader.MirrorMismatch) e;
        }
        events.info("The archive changed since " + source + " was last checked: checking it now");
        releases.put(source, release = release(source, config, true));
        try {
          packages = packages(source, release, config.architecture());
        } catch (Downloader.NotFound notFound) {
          throw missingIndex(source, notFound);
        }
      }
      int before = index.size();
      packages.forEach(index::add);
      events.debug("Read the index of " + source + " (" + (index.size() - before)
          + " new package names)");
    }
    return index;
  }

  private static EnvironmentException missingIndex(AptSource source, Downloader.NotFound e) {
    return new EnvironmentException("The mirror does not serve an index its signed Release of "
        + source + " lists (" + e.getMessage() + "): it is broken or in the middle of an "
        + "update. Try again later or set " + Parameter.DEBIAN_MIRROR + " to another", e);
  }

  /** The packages of every component of {@code source}. */
  private List<BinaryPackage> packages(AptSource source, ReleaseFile release, String architecture)
      throws BundlerException, IOException {
    List<BinaryPackage> packages = new ArrayList<>();
    for (String component : source.components()) {
      packages.addAll(loadPackages(source, release, component, architecture));
    }
    return packages;
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
        out.append('\n').append(Redact.urls(source.uri().toString())).append(' ')
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
      release = release(source, config, false);
    } catch (InvalidInputException e) {
      if (e.getCause() instanceof Downloader.NotFound && source.suite().matches(".+-(updates|security)")) {
        events.warn("No suite " + source.suite() + " at "
            + Redact.urls(source.uri().toString()) + ": skipped");
        release = null;
      } else {
        throw e;
      }
    }
    releases.put(source, release);
    return release;
  }

  /**
   * The verified Release of {@code source}: the cached {@code InRelease} while the update policy
   * holds (no request), else the archive's, asked with the cached copy's validators (a 304 keeps
   * it). Whichever is used is verified by its signature and dates now; a cached copy that fails
   * is fetched again (online) or named with the fix (offline).
   */
  private ReleaseFile release(AptSource source, AptConfig config, boolean force)
      throws BundlerException, IOException {
    ReleaseFile release = releaseChecked(source, config, force);
    if (!downloader.offline()) { // offline, the archive is never asked
      ReleaseCache.Check check = releaseCache.check(source);
      Instant due = policy.nextDue(check == null ? null : check.checked(), ZoneId.systemDefault());
      if (due.isBefore(nextCheck)) {
        nextCheck = due;
      }
    }
    return release;
  }

  /**
   * When the archive is next to be asked whether one of the suites read so far changed (the
   * update policy's next check), {@link Instant#MAX} when none was read: until then a build of
   * the same inputs resolves the same packages.
   */
  public Instant nextCheck() {
    return nextCheck;
  }

  private ReleaseFile releaseChecked(AptSource source, AptConfig config, boolean force)
      throws BundlerException, IOException {
    Path cached = releaseCache.file(source);
    ReleaseCache.Check last = releaseCache.check(source);
    boolean haveCached = Files.isRegularFile(cached);
    if (downloader.offline()) {
      if (haveCached) {
        return cachedOffline(source, config, cached);
      }
      if (last != null && last.absent()) {
        throw notFound(source, null);
      }
    }
    boolean conditional = haveCached && last != null;
    if (!downloader.offline() && !forceUpdate && !force && last != null
        && !policy.due(last.checked(), now, ZoneId.systemDefault())) {
      if (last.absent() && !haveCached) {
        throw notFound(source, null);
      }
      if (haveCached) {
        try {
          ReleaseFile release = verifier.verify(source, config, Files.readAllBytes(cached));
          events.debug("Using the cached InRelease of " + source + ", checked " + last.checked()
              + " (" + Parameter.DEBIAN_UPDATE_POLICY.withValue(policy.toString()) + ")");
          unchecked.add(source);
          return release;
        } catch (BundlerException e) {
          events.warn("The cached " + cached + " cannot be used (" + e.getMessage()
              + "): fetching it again");
          conditional = false;
        }
      }
    }
    URI uri = source.dists("InRelease");
    Downloader.Fetched fetched;
    try {
      fetched = conditional ? downloader.fetch(uri, last.etag(), last.lastModified())
          : downloader.fetch(uri, null, null);
      if (fetched.notModified()) {
        try {
          ReleaseFile release = verifier.verify(source, config, Files.readAllBytes(cached));
          releaseCache.record(source, new ReleaseCache.Check(now,
              fetched.etag() != null ? fetched.etag() : last.etag(),
              fetched.lastModified() != null ? fetched.lastModified() : last.lastModified(), false));
          events.debug("The InRelease of " + source + " has not changed (HTTP 304)");
          return release;
        } catch (BundlerException e) {
          events.warn("The cached " + cached + " cannot be used (" + e.getMessage()
              + "): fetching it again");
          fetched = downloader.fetch(uri, null, null);
        }
      }
    } catch (Downloader.NotFound e) {
      releaseCache.evict(source);
      releaseCache.record(source, new ReleaseCache.Check(now, null, null, true));
      throw notFound(source, e);
    }
    ReleaseFile release = verifier.verify(source, config, fetched.body());
    releaseCache.write(source, fetched.body());
    releaseCache.record(source,
        new ReleaseCache.Check(now, fetched.etag(), fetched.lastModified(), false));
    return release;
  }

  /** Offline, the cached copy is all there is: used if it verifies, else named with the fix. */
  private ReleaseFile cachedOffline(AptSource source, AptConfig config, Path cached)
      throws BundlerException, IOException {
    try {
      return verifier.verify(source, config, Files.readAllBytes(cached));
    } catch (BundlerException e) {
      throw new InvalidInputException(Parameter.CACHE_DIRECTORY, "Offline ("
          + Parameter.OFFLINE.named() + "), the cached InRelease " + cached + " of " + source
          + " cannot be used: " + e.getMessage() + ". Build once online (without "
          + Parameter.OFFLINE.named() + ") to fetch the archive's current one (if the file "
          + "was damaged, delete it first)", e);
    }
  }

  private static InvalidInputException notFound(AptSource source, Downloader.NotFound cause) {
    return new InvalidInputException(Parameter.DEBIAN_SUITE, "The suite " + source.suite()
        + " does not exist at " + Redact.urls(source.uri().toString()) + " (no dists/"
        + source.suite() + "/InRelease): check " + Parameter.DEBIAN_SUITE + " and "
        + Parameter.DEBIAN_MIRROR,
        cause == null ? new Downloader.NotFound(source.dists("InRelease")) : cause);
  }

  private List<BinaryPackage> loadPackages(AptSource source, ReleaseFile release, String component,
      String architecture) throws BundlerException, IOException {
    String name = packagesFile(release, component, architecture);
    if (name == null) {
      String base = component + "/binary-" + architecture + "/Packages";
      throw new InvalidInputException(Parameter.DEBIAN_COMPONENTS, "The suite " + source.suite()
          + " at " + Redact.urls(source.uri().toString()) + " has no " + base
          + " index: check the component '" + component
          + "' and the architecture '" + architecture + "'");
    }
    ReleaseFile.Entry entry = release.files().get(name);
    String what = "index " + name + " of " + source.suite();
    if (release.byHash()) {
      String byHash = name.substring(0, name.lastIndexOf('/') + 1) + "by-hash/SHA256/" + entry.sha256();
      try {
        return readPackages(new Downloader.Blob(source.dists(byHash), source.uri(), entry.sha256(),
            entry.size(), what), name, source, architecture);
      } catch (Downloader.NotFound e) {
        events.debug(e.getMessage() + ": reading " + name + " by its name");
      }
    }
    return readPackages(new Downloader.Blob(source.dists(name), source.uri(), entry.sha256(),
        entry.size(), what), name, source, architecture);
  }

  private List<BinaryPackage> readPackages(Downloader.Blob blob, String name, AptSource source,
      String architecture) throws BundlerException, IOException {
    return downloader.read(blob, file -> PackagesParser.parse(file, blob, name, source, architecture));
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
}
