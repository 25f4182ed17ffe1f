package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.DebianSettings;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.apt.AptConfig;
import dev.bundler.apt.AptSource;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.Deb822;
import dev.bundler.apt.DebianBase;
import dev.bundler.apt.Downloader;
import dev.bundler.apt.PackageIndex;
import dev.bundler.apt.Relation;
import dev.bundler.apt.RepositoryLoader;
import dev.bundler.apt.Resolver;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.CacheKey;
import dev.bundler.lock.Lockfile;
import dev.bundler.rootfs.SystemUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The base stage of a build: the runtime package set resolved from the signed archive, and its
 * layers. The set is what the runner needs (Python, nginx, uwsgi and its Python plugin,
 * supervisor, cron, bash, tzdata, ca-certificates, and tini as the containers' init), Debian's
 * Essential packages, and the user's {@code runtimePackages}.
 */
final class DebianStage {
  /** What the runner itself needs, besides the Python interpreter. */
  static final List<String> RUNNER_PACKAGES = List.of("nginx-light", "uwsgi-core",
      "uwsgi-plugin-python3", "supervisor", "cron", "bash", "tzdata", "ca-certificates", "tini");

  /** Alternatives taken first: bundler lays out merged-/usr itself (see Resolver#preferring). */
  private static final java.util.Set<String> PREFERRED = java.util.Set.of("usr-is-merged");

  private static final java.util.regex.Pattern GLIBC = java.util.regex.Pattern.compile("2\\.\\d+");

  /** Changes when the cached form of a resolution or the resolver's behaviour changes. */
  private static final int RESOLUTION_FORMAT = 2;

  private final BundleRequest request;
  private final EventHandler events;
  private final RepositoryLoader loader;
  private PackageIndex index;
  private AptConfig config;

  DebianStage(BundleRequest request, EventHandler events) {
    this.request = request;
    this.events = events;
    DebianSettings settings = request.debian();
    this.loader = new RepositoryLoader(request.cacheDirectory().resolve("debian"),
        settings.offline(), events, Instant.now(), settings.updatePolicy(), settings.forceUpdate());
  }

  /** The inputs a resolution depends on, as the lockfile records them. */
  Lockfile.Inputs inputs() {
    DebianSettings settings = request.debian();
    return new Lockfile.Inputs(request.application().toString(), request.python(),
        request.architecture(), settings.suite(), settings.components(),
        settings.runtimePackages(), settings.essential());
  }

  /**
   * The runtime set: from the lockfile when the request names one that exists (checked against
   * the request), else resolved from the archive.
   */
  List<BinaryPackage> runtimePackages() throws BundlerException, IOException {
    Path lockFile = request.lockFile();
    if (lockFile != null && Files.isRegularFile(lockFile)) {
      Lockfile lock = Lockfile.read(lockFile);
      lock.requireInputs(inputs(), lockFile);
      events.info("Using the " + lock.debian().size() + " Debian packages pinned by " + lockFile);
      List<BinaryPackage> packages = new ArrayList<>();
      for (Lockfile.DebianPackage pinned : lock.debian()) {
        packages.add(pinned(pinned, lockFile));
      }
      return packages;
    }
    return resolve();
  }

  /** Lock entries for {@code packages}, with the layer each goes into. */
  static List<Lockfile.DebianPackage> lockEntries(List<BinaryPackage> packages) {
    List<Lockfile.DebianPackage> entries = new ArrayList<>();
    DebianBase.groups(packages).forEach((layer, group) -> {
      for (BinaryPackage pkg : group) {
        entries.add(new Lockfile.DebianPackage(pkg.name(), pkg.version().toString(),
            pkg.architecture(), pkg.source().location(), pkg.source().suite(),
            pkg.filename(), pkg.sha256(), pkg.size(), layer, pkg.priority(), pkg.section(),
            pkg.multiArch(), pkg.essential(), pkg.sourcePackage()));
      }
    });
    entries.sort(java.util.Comparator.comparing(Lockfile.DebianPackage::name));
    return entries;
  }

  private BinaryPackage pinned(Lockfile.DebianPackage pinned, Path lockFile)
      throws BundlerException, IOException {
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("Package", pinned.name());
    fields.put("Version", pinned.version());
    fields.put("Architecture", pinned.architecture());
    fields.put("Source", pinned.source());
    fields.put("Priority", pinned.priority());
    fields.put("Section", pinned.section());
    fields.put("Multi-Arch", pinned.multiArch());
    fields.put("Essential", pinned.essential() ? "yes" : null);
    fields.put("Filename", pinned.path());
    fields.put("Size", Long.toString(pinned.size()));
    fields.put("SHA256", pinned.sha256());
    return new BinaryPackage(Deb822.of(fields), configuredSource(pinned, lockFile),
        request.architecture());
  }

  /**
   * The configured repository a pinned package comes from (with its credentials, which the
   * lockfile never holds).
   *
   * @throws InvalidInputException naming {@code bundler.lockFile} if it is not configured
   */
  private AptSource configuredSource(Lockfile.DebianPackage pinned, Path lockFile)
      throws BundlerException, IOException {
    for (AptSource source : config().sources()) {
      if (source.location().equals(pinned.repository()) && source.suite().equals(pinned.suite())) {
        return source;
      }
    }
    throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + lockFile + " pins "
        + pinned.name() + " " + pinned.version() + " from " + pinned.repository() + " "
        + pinned.suite() + ", which is not a configured repository ("
        + String.join("; ", config().sources().stream().map(AptSource::toString).toList())
        + "): set " + Parameter.DEBIAN_MIRROR + " and " + Parameter.DEBIAN_SUITE + " as they were "
        + "when it was written, or run mvn bundler:plan to write it again");
  }

  /** The runtime set resolved from the archive. */
  private List<BinaryPackage> resolve() throws BundlerException, IOException {
    List<BinaryPackage> packages = resolveCached("runtime", List.of(), this::runtimeRoots);
    long bytes = packages.stream().mapToLong(BinaryPackage::size).sum();
    events.info("Resolved " + packages.size() + " Debian packages (" + (bytes >> 20) + " MiB)");
    return packages;
  }

  /**
   * The compiler's package set: the runtime roots first (so the runtime set is part of it), then
   * build-essential, the Python headers, pip, setuptools, wheel and the user's build packages.
   */
  List<BinaryPackage> compilerPackages(List<String> buildPackages) throws BundlerException, IOException {
    Path lockFile = request.lockFile();
    if (lockFile != null && Files.isRegularFile(lockFile)) {
      Lockfile lock = Lockfile.read(lockFile);
      if (lock.compiler() != null) {
        lock.requireInputs(inputs(), lockFile);
        if (!lock.compiler().buildPackages().equals(buildPackages)) {
          throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + lockFile
              + " pins the compiler for " + Parameter.BUILD_PACKAGES.withValue(String.join(",",
                  lock.compiler().buildPackages())) + " but the build asks for "
              + String.join(",", buildPackages) + ": run mvn bundler:plan to update it");
        }
        List<BinaryPackage> packages = new ArrayList<>();
        for (Lockfile.DebianPackage pinned : lock.compiler().packages()) {
          packages.add(pinned(pinned, lockFile));
        }
        events.info("Using the compiler's " + packages.size() + " Debian packages pinned by "
            + lockFile);
        return packages;
      }
    }
    String python = "python" + request.python();
    List<String> compilerRoots = List.of("build-essential", python + "-dev", "python3-pip",
        "python3-setuptools", "python3-wheel");
    List<String> extra = new ArrayList<>(compilerRoots);
    extra.add("|");
    extra.addAll(buildPackages);
    List<BinaryPackage> packages = resolveCached("compiler", extra, () -> {
      List<Resolver.Root> roots = runtimeRoots();
      for (String name : compilerRoots) {
        roots.add(root(name, "the compiler"));
      }
      for (String name : buildPackages) {
        roots.add(root(name, Parameter.BUILD_PACKAGES, name));
      }
      return roots;
    });
    events.info("Resolved the compiler's " + packages.size() + " Debian packages");
    return packages;
  }

  private List<BinaryPackage> resolve(List<Resolver.Root> roots) throws BundlerException, IOException {
    return new Resolver(index(), request.architecture()).preferring(PREFERRED).resolve(roots);
  }

  private AptConfig config() throws BundlerException, IOException {
    if (config == null) {
      DebianSettings settings = request.debian();
      config = AptConfig.of(settings.mirror(), settings.suite(), settings.components(),
          request.architecture(), settings.keyring(), settings.allowUnsigned(), Path.of("/etc/apt"))
          .withRepositories(settings.repositories());
    }
    return config;
  }

  private PackageIndex index() throws BundlerException, IOException {
    if (index == null) {
      AptConfig config = config();
      events.info("Reading the Debian package index of " + config.sources().size() + " suites ("
          + String.join(", ", config.sources().stream().map(s -> s.suite()).toList()) + ")");
      index = loader.load(config);
    }
    return index;
  }

  /** Roots computed from the index, on demand. */
  private interface Roots {
    List<Resolver.Root> get() throws BundlerException, IOException;
  }

  /**
   * The resolution of {@code roots}, from bundler's cache when the same verified indexes and
   * inputs were resolved before (then no index is read): resolving is deterministic, and a
   * suite's {@code Packages} files, fingerprinted by their signed hashes, decide it.
   */
  private List<BinaryPackage> resolveCached(String kind, List<String> extraRoots, Roots roots)
      throws BundlerException, IOException {
    DebianSettings settings = request.debian();
    String key = CacheKey.of("debian-resolution")
        .with("format", RESOLUTION_FORMAT)
        .with("kind", kind)
        .with("indexes", loader.fingerprint(config()))
        .with("python", request.python())
        .with("essential", Boolean.toString(settings.essential()))
        .with("runner", String.join(",", RUNNER_PACKAGES))
        .with("runtimePackages", String.join(",", settings.runtimePackages()))
        .with("extra", String.join(",", extraRoots))
        .build();
    Path file = request.cacheDirectory().resolve("debian").resolve("resolutions")
        .resolve(key + ".json");
    CacheSeal seal = CacheSeal.forUser();
    byte[] cached = seal.read(file);
    if (cached != null) {
      try {
        List<BinaryPackage> packages = new ArrayList<>();
        for (Lockfile.DebianPackage pinned : Lockfile.parse(cached, file).debian()) {
          packages.add(pinned(pinned, file));
        }
        events.debug("Debian resolution from the cache: " + file);
        return packages;
      } catch (InvalidInputException | RuntimeException e) {
        events.debug("Ignoring an unreadable cached resolution " + file + ": " + e.getMessage());
      }
    }
    List<BinaryPackage> packages = resolve(roots.get());
    seal.write(file, new Lockfile(Lockfile.FORMAT, inputs(), lockEntries(packages), List.of()).bytes());
    return packages;
  }

  private List<Resolver.Root> runtimeRoots() throws BundlerException, IOException {
    DebianSettings settings = request.debian();
    String python = "python" + request.python();
    if (index().candidate(python) == null) {
      throw new InvalidInputException(Parameter.PYTHON, "Debian " + settings.suite()
          + " has no Python " + request.python() + " (no package " + python + "); it provides "
          + String.join(", ", index.namesMatching("python3\\.\\d+")) + ": set " + Parameter.PYTHON
          + " to one of those");
    }
    List<Resolver.Root> roots = new ArrayList<>();
    roots.add(root(python, Parameter.PYTHON, request.python()));
    for (String name : RUNNER_PACKAGES) {
      roots.add(root(name, "the runner"));
    }
    if (settings.essential()) {
      for (String name : index.namesMatching("[a-z0-9][a-z0-9+.-]*")) {
        if (index.candidate(name).essential()) {
          roots.add(root(name, "Debian's Essential set"));
        }
      }
    }
    for (String name : settings.runtimePackages()) {
      roots.add(root(name, Parameter.RUNTIME_PACKAGES, name));
    }
    return roots;
  }

  /** The full version of the interpreter ({@code 3.11.2}) in {@code packages}. */
  String pythonFullVersion(List<BinaryPackage> packages) {
    for (BinaryPackage pkg : packages) {
      if (pkg.name().equals("python" + request.python())) {
        return pkg.version().upstream().replaceAll("[~+].*$", "");
      }
    }
    return null;
  }

  /**
   * Until when a build of the same inputs resolves the same packages: the archive's next check
   * under the update policy ({@link java.time.Instant#MAX} when no index was read: a lockfile).
   */
  java.time.Instant resolutionValidUntil() {
    return loader.nextCheck();
  }

  /**
   * The glibc version ({@code 2.36}) of the {@code libc6} in {@code packages}, from its upstream
   * version ({@code 2.36-9+deb12u4}); {@code null} if the set has none.
   */
  static String glibcVersion(List<BinaryPackage> packages) {
    for (BinaryPackage pkg : packages) {
      if (pkg.name().equals("libc6")) {
        java.util.regex.Matcher m = GLIBC.matcher(pkg.version().upstream());
        return m.lookingAt() ? m.group() : null;
      }
    }
    return null;
  }

  /**
   * Lets go of the package index (tens of megabytes): once the runtime's and the compiler's
   * sets are resolved, the rest of the build needs none of it.
   */
  void forgetIndex() {
    index = null;
  }

  /** Downloads and caches the archive's files for this build. */
  Downloader downloader() {
    return loader.downloader();
  }

  /** The image's users: root's and the application's. */
  SystemUsers users() {
    return new SystemUsers(request.appUser(), request.appUid(), request.appGid());
  }

  /**
   * A package the runner, the compiler or Debian's Essential set needs; a failure to install it
   * names runtimePackages, whose additions are what usually conflicts.
   */
  private static Resolver.Root root(String name, String why) {
    return new Resolver.Root(new Relation(name, null, null, null), why);
  }

  /** A package {@code parameter} asks for, given {@code value}. */
  private static Resolver.Root root(String name, Parameter parameter, String value) {
    return new Resolver.Root(new Relation(name, null, null, null), parameter.withValue(value),
        parameter);
  }
}
