package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.DebianBase;
import dev.bundler.apt.Slimming;
import dev.bundler.compile.Bytecode;
import dev.bundler.compile.ContainerRoot;
import dev.bundler.compile.ContainerRoots;
import dev.bundler.compile.ContainerRunner;
import dev.bundler.compile.Emulation;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.io.CacheDirectory;
import dev.bundler.io.CacheSeal;
import dev.bundler.io.ScratchSpace;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.lock.Lockfile;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.VenvLayout;
import dev.bundler.runner.RunnerLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One build of a {@link BundleRequest}, as a pipeline of stages over values: resolution (the
 * Debian packages), the compile stage (the wheelhouse, and bytecode), wheel selection, then the
 * {@link BuildPlan} with every layer's key; {@link ImageStage} writes what is missing of it.
 *
 * <p>Layers start being written as soon as they are planned (the Debian layers compress while pip
 * runs). Everything temporary lives in a scratch directory under the cache, removed by {@link
 * #close()}.
 */
public final class Pipeline implements AutoCloseable {
  private BundleRequest request;
  private final EventHandler events;
  private final CacheSeal seal;
  private final ScratchSpace scratch;
  private final DebianStage debian;
  private final Containers containers;
  private final LayerWrites writes;
  private final SharedCache shared;
  private final List<Closeable> closeAtEnd = new CopyOnWriteArrayList<>();
  private DebianBase base;

  private Pipeline(BundleRequest request, EventHandler events, CacheSeal seal,
      ScratchSpace scratch) throws IOException, BundlerException {
    this.request = request;
    this.events = events;
    this.seal = seal;
    this.scratch = scratch;
    this.debian = new DebianStage(request, events);
    this.containers = new Containers(request, scratch.directory(), seal, events);
    this.shared = new SharedCache(request.cacheRepository() == null ? null
        : dev.bundler.image.RegistryCache.open(request.cacheRepository(),
            request.registryCredentials(), request.allowInsecureRegistries(), events),
        scratch.directory(), events);
    this.writes = new LayerWrites(
        LayerCache.at(request.cacheDirectory().resolve("layers"), seal).reporting(events),
        LayerWriter.create(), shared);
  }

  /** Starts a build: marks the cache, removes what killed builds left, makes a scratch directory. */
  public static Pipeline open(BundleRequest request, EventHandler events)
      throws IOException, BundlerException {
    ScratchSpace scratch;
    try {
      CacheDirectory.mark(request.cacheDirectory());
      scratch = ScratchSpace.create(request.cacheDirectory());
    } catch (java.nio.file.FileSystemException e) {
      throw CacheDirectory.unusable(request.cacheDirectory(), e);
    }
    try {
      return new Pipeline(Versions.pin(request, events), events, CacheSeal.forUser(), scratch);
    } catch (IOException | BundlerException | RuntimeException e) {
      scratch.close();
      throw e;
    }
  }

  /**
   * The result of the last build into the request's output directory, when nothing it depended
   * on has changed since (see {@link UpToDate}): then there is nothing to do; else {@code null}.
   */
  public static dev.bundler.BuildResult upToDate(BundleRequest request) {
    try {
      return UpToDate.check(Versions.pin(request, EventHandler.NONE), CacheSeal.forUser(),
          java.time.Instant.now());
    } catch (IOException | BundlerException | RuntimeException e) {
      return null;
    }
  }

  SharedCache shared() {
    return shared;
  }

  BundleRequest request() {
    return request;
  }

  EventHandler events() {
    return events;
  }

  LayerWrites writes() {
    return writes;
  }

  /**
   * What {@code bundler:plan} pins: the Debian packages, and the wheels when a wheelhouse (or the
   * application's wheel) is given. Nothing is compiled or written.
   */
  public Lockfile resolve() throws BundlerException, IOException {
    List<BinaryPackage> packages = runtimePackages();
    List<Lockfile.Wheel> wheels = List.of();
    if (request.wheelhouse() != null || request.application().wheel() != null) {
      PythonTarget target = target(packages);
      wheels = lockWheels(select(new CompileStage.Wheelhouse(request.wheelhouse(),
          WheelSelection.userHashes(request.wheelhouse())), target));
    }
    Lockfile lock = new Lockfile(Lockfile.FORMAT, debian.inputs(),
        DebianStage.lockEntries(packages), wheels);
    if (compiles()) {
      List<String> buildPackages = request.compile().buildPackages();
      lock = lock.withCompiler(new Lockfile.Compiler(buildPackages,
          DebianStage.lockEntries(debian.compilerPackages(buildPackages))));
    }
    return lock;
  }

  /** Whether this build makes its wheelhouse with the compile stage. */
  private boolean compiles() {
    return request.wheelhouse() == null && request.compile().hasSources()
        && request.base() instanceof BaseImage.Debian;
  }

  /** Runs only the compile stage; returns the wheelhouse directory. */
  public Path compile() throws BundlerException, IOException {
    List<BinaryPackage> packages = runtimePackages();
    PythonTarget target = target(packages);
    Path wheelhouse = compileStage().wheelhouse(base(), bytecode(packages, target), target,
        compilerRoot -> { }).directory();
    if (wheelhouse == null) {
      throw new InvalidInputException(Parameter.FIND_LINKS, "Nothing to compile: give where pip "
          + "finds distributions (" + Parameter.FIND_LINKS + " or " + Parameter.INDEX + ")");
    }
    return wheelhouse;
  }

  /**
   * The plan of the image: resolves, compiles what the cache lacks (one container run at most
   * for pip, one for bytecode pip did not make), selects the wheels and keys every layer.
   */
  public BuildPlan plan() throws BundlerException, IOException {
    List<BinaryPackage> packages = runtimePackages();
    PythonTarget target = target(packages);
    RunnerLayout runner = RunnerLayout.of(request);
    List<PlannedLayer> layers = new ArrayList<>();
    if (!packages.isEmpty()) {
      layers.addAll(base().layers(packages, debian.users(), request.architecture()));
      layers.forEach(writes::start);
    }
    BytecodeStage bytecode = bytecode(packages, target);
    String runtimeRoot = runtimeRootKey(packages);
    String runtimeRootName = "runtime (" + packages.size() + " Debian packages)";
    ContainerRoots.Source runtimeTree =
        () -> base().tree(packages, debian.users(), request.architecture());
    boolean checkRoots = bytecode.enabled() && Emulation.isNative(request.architecture());
    if (checkRoots) {
      containers.checkEarly(runtimeRoot, runtimeRootName);
    }
    // While the runtime's root is not laid out, a bytecode run takes the compiler's (see tree()
    // below): that one is checked in the background then.
    CompileStage.Wheelhouse wheelhouse = compileStage().wheelhouse(base(), bytecode, target,
        compilerRoot -> {
          if (checkRoots && !containers.laidOut(runtimeRoot)) {
            containers.checkEarly(compilerRoot, "compiler");
          }
        });
    debian.forgetIndex();
    pinFrom(wheelhouse.directory());
    runner = RunnerLayout.of(request);
    List<WheelSelection.Selected> wheels = select(wheelhouse, target);
    bytecode.ensure(wheels, new BytecodeStage.Runner() {
      @Override
      public ContainerRoot root() throws BundlerException, IOException {
        return containers.root(runtimeRoot, runtimeRootName, runtimeTree);
      }

      /**
       * The runtime's root; while it is not laid out, the compiler's, if that one is and runs the
       * image's interpreter (a first application change after a cold build lays out nothing).
       */
      @Override
      public Path tree() throws BundlerException, IOException {
        String compilerRoot = wheelhouse.compilerRoot();
        if (compilerRoot != null && !containers.laidOut(runtimeRoot)
            && containers.laidOut(compilerRoot)) {
          Path tree = containers.checked(compilerRoot, "compiler");
          if (tree != null) {
            return tree;
          }
        }
        return containers.tree(runtimeRoot, runtimeRootName, runtimeTree);
      }

      @Override
      public ContainerRunner runner() throws BundlerException, IOException {
        return containers.runner();
      }

      @Override
      public Emulation emulation() throws EnvironmentException {
        return Emulation.isNative(request.architecture()) ? null
            : Emulation.find(request.architecture(), System.getenv());
      }
    });
    VenvLayout venv = new VenvLayout(runner.venv(), target, "/usr/bin/python" + request.python(), 0, 0);
    List<PlannedLayer> python = new PythonStage(venv, bytecode, closeAtEnd::add).layers(wheels);
    python.forEach(writes::start);
    layers.addAll(python);
    PlannedLayer runnerFiles = new RunnerStage(request, runner, target, closeAtEnd::add, events).layer(wheels.get(0));
    writes.start(runnerFiles);
    layers.add(runnerFiles);
    List<Lockfile.Wheel> locked = lockWheels(wheels);
    requirePinnedWheels(locked);
    Lockfile lock = new Lockfile(Lockfile.FORMAT, debian.inputs(),
        DebianStage.lockEntries(packages), locked);
    if (wheelhouse.compiler() != null) {
      lock = lock.withCompiler(new Lockfile.Compiler(request.compile().buildPackages(),
          DebianStage.lockEntries(wheelhouse.compiler())));
    }
    request.imageSettings().warnings(runner).forEach(events::warn);
    return new BuildPlan(packages, target, locked, layers,
        runner.containerConfig(request.creationTime(), request.imageSettings()), lock);
  }

  /**
   * Builds the image: plans it, writes what is missing of its layers and outputs, and pushes it
   * when {@code push}. A failed build leaves no image in the output directory.
   */
  public dev.bundler.BuildResult build(boolean push) throws BundlerException, IOException {
    try {
      UpToDate.forget(request.outputDirectory());
      dev.bundler.image.ImageOutputs.sweepPartials(request.outputDirectory());
      writes.fetchShared(!push);
      dev.bundler.BuildResult result = new ImageStage(this).run(plan(), push);
      shared.awaitPublished();
      if (result.image().tarball() != null) {
        UpToDate.record(request, result, debian.resolutionValidUntil(), seal);
      }
      return result;
    } catch (BundlerException | IOException | RuntimeException | Error e) {
      try {
        removeOutputs(request.outputDirectory(), request.lockFile());
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Removes the outputs of a build from {@code directory} (image, metadata, SBOM, lockfile copy,
   * partial files of a killed build), never the project's lockfile {@code lockFile}. Returns
   * what was removed.
   */
  public static List<Path> removeOutputs(Path directory, Path lockFile) throws IOException {
    List<Path> removed = new ArrayList<>(dev.bundler.image.ImageOutputs.clean(directory));
    UpToDate.forget(directory);
    Path copy = directory.resolve(ImageStage.LOCK_COPY);
    boolean isProjects = lockFile != null
        && lockFile.toAbsolutePath().normalize().equals(copy.toAbsolutePath().normalize());
    if (!isProjects && java.nio.file.Files.deleteIfExists(copy)) {
      removed.add(copy);
    }
    return removed;
  }

  /** The application's version as pip chose it, when only pip could (an index). */
  private void pinFrom(Path wheelhouse) throws BundlerException, IOException {
    if (request.application().pinned() || wheelhouse == null) {
      return;
    }
    var version = Versions.newest(request.application().name(), List.of(wheelhouse));
    if (version == null) {
      throw new InvalidInputException(Parameter.PACKAGE, "pip built no wheel of "
          + request.application().name() + " into " + wheelhouse);
    }
    events.info("Bundling " + request.application().name() + " " + version + ", the version pip chose");
    request = request.withVersion(version.toString());
  }

  private List<BinaryPackage> runtimePackages() throws BundlerException, IOException {
    return request.base() instanceof BaseImage.Debian ? debian.runtimePackages() : List.of();
  }

  private CompileStage compileStage() {
    return new CompileStage(request, debian, containers, shared, scratch.directory(), seal, events);
  }

  private BytecodeStage bytecode(List<BinaryPackage> packages, PythonTarget target) {
    String interpreter = BytecodeStage.interpreterOf(packages, request.python());
    VenvLayout venv = new VenvLayout(RunnerLayout.of(request).venv(), target,
        "/usr/bin/python" + request.python(), 0, 0);
    return new BytecodeStage(new Bytecode(request.cacheDirectory().resolve("bytecode"), seal),
        venv.root() + "/" + venv.sitePackages(), "/usr/bin/python" + request.python(), interpreter,
        packages, pkgs -> base().entries(pkgs), shared, scratch.directory(), events);
  }

  private String runtimeRootKey(List<BinaryPackage> packages) {
    return CacheKey.of("runtime-root/1")
        .with("architecture", request.architecture())
        .with("users", debian.users().toString())
        .with("packages", base().fingerprint(packages))
        .build();
  }

  /** The Debian packages of this build, each read at most once whatever needs it. */
  private synchronized DebianBase base() {
    if (base == null) {
      base = new DebianBase(debian.downloader(), scratch.directory().resolve("debs"), events,
          Slimming.of(request.debian().keepDocumentation()),
          java.util.Set.copyOf(request.debian().runtimePackages()));
      closeAtEnd.add(base);
    }
    return base;
  }

  /**
   * The Python wheels must run on: the suite's interpreter and the glibc of its {@code libc6}
   * (bullseye 2.31, bookworm 2.36, trixie 2.41), which decides the manylinux tags accepted;
   * bookworm's on a base bundler did not build.
   */
  private PythonTarget target(List<BinaryPackage> packages) {
    String glibc = DebianStage.glibcVersion(packages);
    return new PythonTarget(request.python(), debian.pythonFullVersion(packages),
        request.architecture(), glibc != null ? glibc
            : PythonTarget.bookworm(request.python(), request.architecture()).glibc());
  }

  private List<WheelSelection.Selected> select(CompileStage.Wheelhouse wheelhouse,
      PythonTarget target) throws BundlerException, IOException {
    return WheelSelection.of(request, seal, events).select(request, wheelhouse.directory(),
        wheelhouse.hashes(), target, WheelSelection.crontabPath(request));
  }

  private static List<Lockfile.Wheel> lockWheels(List<WheelSelection.Selected> wheels) {
    return wheels.stream().map(w -> new Lockfile.Wheel(w.name(), w.version(),
        w.file().getFileName().toString(), w.sha256())).toList();
  }

  /** With a lockfile that pins wheels, the wheelhouse must hold exactly those. */
  private void requirePinnedWheels(List<Lockfile.Wheel> wheels) throws InvalidInputException {
    Path file = request.lockFile();
    if (file == null || !java.nio.file.Files.isRegularFile(file)) {
      return;
    }
    Lockfile lock = Lockfile.read(file);
    if (!lock.wheels().isEmpty() && !lock.wheels().equals(wheels)) {
      throw new InvalidInputException(Parameter.LOCK_FILE, "The wheels selected from the "
          + "wheelhouse (" + wheels + ") are not those the lockfile " + file
          + " pins (" + lock.wheels() + "): restore the pinned wheels, or run mvn bundler:plan");
    }
  }

  /** Stops the workers, closes the wheels, removes the scratch directory. */
  @Override
  public void close() throws IOException {
    writes.close();
    shared.close();
    IOException failure = null;
    for (Closeable closeable : closeAtEnd) {
      try {
        closeable.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    scratch.close();
    if (failure != null) {
      throw failure;
    }
  }
}
