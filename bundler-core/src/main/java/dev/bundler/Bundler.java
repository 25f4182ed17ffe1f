package dev.bundler;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.image.ImageAssembler;
import dev.bundler.image.ImageLayer;
import dev.bundler.image.ImageOutputs;
import dev.bundler.image.ImageResult;
import dev.bundler.image.ImageSpec;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Digests;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.lock.Lockfile;
import dev.bundler.python.InstalledDistribution;
import dev.bundler.python.Names;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.VenvLayout;
import dev.bundler.python.Wheel;
import dev.bundler.python.WheelInstaller;
import dev.bundler.python.Wheelhouse;
import dev.bundler.runner.Crontab;
import dev.bundler.runner.RunnerFiles;
import dev.bundler.runner.RunnerLayout;
import dev.bundler.sbom.Sbom;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bundler's entry point: turns a {@link BundleRequest} into an image, or into a plan.
 *
 * <p>Layers, from least to most often changing: the Debian base (a few layers), the third-party
 * wheels with the empty virtualenv, the application's own wheel, the runner's files. Each is
 * cached by its inputs, so a new version of the application rebuilds only the last two.
 */
public final class Bundler {
  private final EventHandler events;

  private Bundler(EventHandler events) {
    this.events = events;
  }

  public static Bundler create(EventHandler events) {
    return new Bundler(events);
  }

  /**
   * Resolves the Debian packages (and the wheels, when a wheelhouse is given) without building,
   * and writes the lockfile to the request's lockfile path (or the output directory).
   */
  public Lockfile plan(BundleRequest request) throws BundlerException, IOException {
    CacheDirectory.mark(request.cacheDirectory());
    DebianStage debian = new DebianStage(request, events);
    List<BinaryPackage> packages = request.base() instanceof BaseImage.Debian
        ? debian.runtimePackages() : List.of();
    List<Lockfile.Wheel> wheels = List.of();
    if (request.wheelhouse() != null || request.application().wheel() != null) {
      List<Wheel> selected = select(request, request.wheelhouse(), target(request, debian, packages));
      try {
        wheels = lockWheels(selected);
      } finally {
        close(selected);
      }
    }
    Lockfile lock = new Lockfile(Lockfile.FORMAT, debian.inputs(),
        DebianStage.lockEntries(packages), wheels);
    Path file = request.lockFile() != null ? request.lockFile()
        : request.outputDirectory().resolve("bundler.lock.json");
    lock.write(file);
    events.info("Wrote " + file);
    return lock;
  }

  /**
   * Builds the runner image and writes it as an OCI archive with its metadata and lockfile in the
   * request's output directory. Outputs of an earlier build there are removed first, so a failed
   * build leaves none behind.
   */
  public BuildResult build(BundleRequest request) throws BundlerException, IOException {
    return build(request, false);
  }

  /**
   * Builds the runner image as {@link #build} does (the same outputs), then pushes it to the
   * registry its reference names: the same image, with the same digest as the tarball.
   */
  public BuildResult push(BundleRequest request) throws BundlerException, IOException {
    return build(request, true);
  }

  private BuildResult build(BundleRequest request, boolean push)
      throws BundlerException, IOException {
    CacheDirectory.mark(request.cacheDirectory());
    Path output = request.outputDirectory();
    Files.createDirectories(output);
    ImageOutputs.clean(output);
    Files.deleteIfExists(output.resolve("bundler.lock.json"));
    LayerCache cache = LayerCache.at(request.cacheDirectory().resolve("layers")).reporting(events);
    LayerWriter writer = LayerWriter.create();
    DebianStage debian = new DebianStage(request, events);
    List<BinaryPackage> packages = request.base() instanceof BaseImage.Debian
        ? debian.runtimePackages() : List.of();
    PythonTarget target = target(request, debian, packages);
    RunnerLayout runner = RunnerLayout.of(request);
    VenvLayout venv = new VenvLayout(runner.venv(), target, "/usr/bin/python" + request.python(), 0, 0);

    Path wheelhouse = new CompileStage(request, debian, events).wheelhouse(packages, cache, writer);
    List<Wheel> wheels = select(request, wheelhouse, target);
    try {
      requirePinnedWheels(request, wheels);
      List<InstalledDistribution> installed = new WheelInstaller(venv)
          .installAll(wheels, Set.of(Names.normalize(wheels.get(0).name())));
      events.info("Installing " + installed.size() + " distributions: " + installed);
      List<ImageLayer> layers = new ArrayList<>();
      if (!packages.isEmpty()) {
        layers.addAll(debian.layers(packages, cache, writer));
      }
      layers.addAll(pythonLayers(venv, wheels, installed, cache, writer));
      Map<String, byte[]> templates = RunnerFiles.withOverrides(request.templates());
      Crontab crontab = crontab(wheels.get(0), runner);
      List<LayerEntry> runnerFiles = RunnerFiles.entries(runner, templates, crontab);
      layers.add(new ImageLayer("runner files", cache.computeIfAbsent(
          runnerKey(runner, templates, crontab), "runner files", writer, () -> runnerFiles)));

      events.info("Writing image " + request.image());
      ImageAssembler assembler = ImageAssembler.create(request.cacheDirectory(), events)
          .allowInsecureRegistries(request.allowInsecureRegistries())
          .offline(request.debian().offline())
          .credentials(request.registryCredentials());
      request.imageSettings().warnings(runner).forEach(events::warn);
      ImageSpec spec = new ImageSpec(request.base(), layers,
          runner.containerConfig(request.creationTime(), request.imageSettings()),
          request.image(), request.architecture());
      ImageResult image = assembler.writeTarball(spec, ImageOutputs.tarball(output));
      Path imageJson = ImageOutputs.write(image, output);
      Lockfile used = new Lockfile(Lockfile.FORMAT, debian.inputs(),
          DebianStage.lockEntries(packages), lockWheels(wheels));
      used.write(output.resolve("bundler.lock.json"));
      AtomicFiles.write(output.resolve(Sbom.FILE), Sbom.cyclonedx(used, image,
          request.debian().suite(), request.creationTime(), version()));
      ImageResult pushed = null;
      if (push) {
        pushed = assembler.push(spec, request.additionalTags());
        if (!pushed.imageDigest().equals(image.imageDigest())) {
          throw new EnvironmentException("The pushed image " + pushed.image() + " has digest "
              + pushed.imageDigest() + ", the tarball " + image.imageDigest() + ": please report "
              + "this as a bundler bug");
        }
      }
      return new BuildResult(image, imageJson,
          installed.stream().map(InstalledDistribution::toString).toList(), pushed);
    } finally {
      close(wheels);
    }
  }

  /**
   * Removes what builds wrote into {@code outputDirectory} (image tarball and metadata, SBOM, the
   * lockfile copy), and the directory if nothing else is left in it. The project's own lockfile is
   * not touched. Returns the files removed.
   */
  public List<Path> clean(Path outputDirectory) throws IOException {
    List<Path> removed = new ArrayList<>();
    List<String> names = new ArrayList<>(ImageOutputs.FILES);
    names.add("bundler.lock.json");
    for (String name : names) {
      Path file = outputDirectory.resolve(name);
      if (Files.deleteIfExists(file)) {
        removed.add(file);
      }
    }
    if (Files.isDirectory(outputDirectory)) {
      try (var rest = Files.list(outputDirectory)) {
        if (rest.findAny().isEmpty()) {
          Files.delete(outputDirectory);
        }
      }
    }
    events.info(removed.isEmpty() ? "Nothing to clean in " + outputDirectory
        : "Removed " + removed.size() + " build outputs from " + outputDirectory);
    return removed;
  }

  /**
   * Deletes bundler's cache at {@code cacheDirectory}: layers, downloads, indexes, wheelhouses,
   * compiler images and the podman storage of compile runs. Returns the bytes freed.
   *
   * @throws InvalidInputException if the directory is not one bundler made
   */
  public long purge(Path cacheDirectory) throws BundlerException, IOException {
    long bytes = CacheDirectory.purge(cacheDirectory);
    events.info("Purged bundler's cache " + cacheDirectory + " (" + (bytes >> 20) + " MiB freed)");
    return bytes;
  }

  /** bundler's version, from the core jar's Maven metadata ({@code development} outside a jar). */
  public static String version() {
    try (var in = Bundler.class.getResourceAsStream(
        "/META-INF/maven/dev.bundler/bundler-core/pom.properties")) {
      if (in != null) {
        java.util.Properties properties = new java.util.Properties();
        properties.load(in);
        return properties.getProperty("version", "development");
      }
    } catch (IOException e) {
      // fall through: the version is informative only
    }
    return "development";
  }

  private static PythonTarget target(BundleRequest request, DebianStage debian,
      List<BinaryPackage> packages) {
    PythonTarget target = PythonTarget.bookworm(request.python(), request.architecture());
    String fullVersion = debian.pythonFullVersion(packages);
    return fullVersion == null ? target
        : new PythonTarget(request.python(), fullVersion, request.architecture(), target.glibc());
  }

  /**
   * Runs only the compile stage: builds (or finds in the cache) the wheelhouse of the request's
   * application, and returns its directory.
   */
  public Path compile(BundleRequest request) throws BundlerException, IOException {
    CacheDirectory.mark(request.cacheDirectory());
    DebianStage debian = new DebianStage(request, events);
    List<BinaryPackage> packages = request.base() instanceof BaseImage.Debian
        ? debian.runtimePackages() : List.of();
    Path wheelhouse = new CompileStage(request, debian, events).wheelhouse(packages,
        LayerCache.at(request.cacheDirectory().resolve("layers")).reporting(events), LayerWriter.create());
    if (wheelhouse == null) {
      throw new InvalidInputException("bundler.findLinks", "Nothing to compile: give where pip "
          + "finds distributions (-Dbundler.findLinks or -Dbundler.index)");
    }
    return wheelhouse;
  }

  private List<Wheel> select(BundleRequest request, Path wheelhouse, PythonTarget target)
      throws BundlerException, IOException {
    PackageSpec application = request.application();
    events.info("Selecting wheels for " + application + " from "
        + (wheelhouse == null ? "the given wheel" : wheelhouse));
    return Wheelhouse.scan(wheelhouse, target).select(
        application.name(), application.version(), application.extras(), application.wheel());
  }

  /** With a lockfile that pins wheels, the wheelhouse must hold exactly those. */
  private static void requirePinnedWheels(BundleRequest request, List<Wheel> wheels)
      throws InvalidInputException {
    Path file = request.lockFile();
    if (file == null || !Files.isRegularFile(file)) {
      return;
    }
    Lockfile lock = Lockfile.read(file);
    if (lock.wheels().isEmpty()) {
      return;
    }
    if (!lock.wheels().equals(lockWheels(wheels))) {
      throw new InvalidInputException("bundler.lockFile", "The wheels selected from the "
          + "wheelhouse (" + lockWheels(wheels) + ") are not those the lockfile " + file
          + " pins (" + lock.wheels() + "): restore the pinned wheels, or run mvn bundler:plan");
    }
  }

  private static List<Lockfile.Wheel> lockWheels(List<Wheel> wheels) {
    return wheels.stream().map(w -> new Lockfile.Wheel(w.name(), w.version().toString(),
        w.file().getFileName().toString(), w.sha256())).toList();
  }

  private static List<ImageLayer> pythonLayers(VenvLayout venv, List<Wheel> wheels,
      List<InstalledDistribution> installed, LayerCache cache, LayerWriter writer)
      throws BundlerException, IOException {
    Wheel app = wheels.get(0);
    ImageLayer dependencies = new ImageLayer("python dependencies and virtualenv",
        cache.computeIfAbsent(wheelsKey(venv, wheels.subList(1, wheels.size())),
            "python dependencies", writer, () -> {
          List<LayerEntry> entries = new ArrayList<>(venv.skeleton());
          installed.subList(1, installed.size()).forEach(d -> entries.addAll(d.entries()));
          return entries;
        }));
    ImageLayer application = new ImageLayer("application " + app.name() + " " + app.version(),
        cache.computeIfAbsent(wheelsKey(venv, List.of(app)), "application " + app.name(), writer,
            () -> installed.get(0).entries()));
    return List.of(dependencies, application);
  }

  private static void close(List<Wheel> wheels) throws IOException {
    for (Wheel wheel : wheels) {
      wheel.close();
    }
  }

  private static String wheelsKey(VenvLayout venv, List<Wheel> wheels) {
    PythonTarget target = venv.target();
    CacheKey key = CacheKey.of(WheelInstaller.FORMAT)
        .with("root", venv.root())
        .with("interpreter", venv.interpreter())
        .with("owner", venv.uid() + ":" + venv.gid())
        .with("python", target.fullVersion())
        .with("machine", target.machine())
        .with("glibc", target.glibc());
    wheels.stream().map(Wheel::sha256).sorted().forEach(sha -> key.with("wheel", sha));
    return key.build();
  }

  /** The application's crontab ({@code PACKAGE/crontab} in its wheel), or {@code null}. */
  private Crontab crontab(Wheel application, RunnerLayout runner)
      throws InvalidInputException, IOException {
    String path = runner.module() + "/crontab";
    byte[] content = application.readOrNull(path);
    if (content == null) {
      return null;
    }
    Crontab crontab = Crontab.parse(content, application.file().getFileName() + "!/" + path, runner);
    events.info("Installing the crontab of " + runner.module() + " for " + runner.user()
        + (crontab.system() ? " as " + Crontab.SYSTEM_FILE + " (it has a user column)" : ""));
    return crontab;
  }

  private static String runnerKey(RunnerLayout runner, Map<String, byte[]> templates,
      Crontab crontab) {
    CacheKey key = CacheKey.of("runner-files/4").with("layout", runner.toString())
        .with("crontab", crontab == null ? null
            : (crontab.system() ? "system:" : "user:") + Digests.sha256Hex(
                crontab.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (Map.Entry<String, byte[]> template : templates.entrySet()) {
      key.with(template.getKey(), Digests.sha256Hex(template.getValue()));
    }
    return key.build();
  }
}
