package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.CompileSettings;
import dev.bundler.InvalidInputException;
import dev.bundler.PackageSpec;
import dev.bundler.Parameter;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.DebianBase;
import dev.bundler.compile.Bytecode;
import dev.bundler.compile.ContainerRoot;
import dev.bundler.compile.Emulation;
import dev.bundler.compile.WheelhouseCompiler;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.CacheKey;
import dev.bundler.python.PythonTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The compile stage: one container run of {@code pip wheel} on the compiler's root file system
 * (the runtime's Debian packages plus build tools, laid out unpacked and cached, never an image),
 * which also byte-compiles what the image needs; skipped when the wheelhouse of the same inputs
 * is cached.
 */
final class CompileStage {
  private final BundleRequest request;
  private final DebianStage debian;
  private final Containers containers;
  private final SharedCache shared;
  private final Path scratch;
  private final CacheSeal seal;
  private final EventHandler events;

  CompileStage(BundleRequest request, DebianStage debian, Containers containers,
      SharedCache shared, Path scratch, CacheSeal seal, EventHandler events) {
    this.request = request;
    this.debian = debian;
    this.containers = containers;
    this.shared = shared;
    this.scratch = scratch;
    this.seal = seal;
    this.events = events;
  }

  /**
   * A wheelhouse and the SHA-256 of its wheels by file name, checked against what was recorded
   * when it was built.
   */
  /**
   * @param compiler the compiler's packages, when the compile stage made or found it
   * @param compilerRoot the key of the compiler's root file system when its interpreter is the
   *     image's (a bytecode run may use that root rather than lay out the runtime's), else null
   */
  record Wheelhouse(Path directory, Map<String, String> hashes, List<BinaryPackage> compiler,
      String compilerRoot) {
    Wheelhouse(Path directory, Map<String, String> hashes) {
      this(directory, hashes, null, null);
    }
  }

  /**
   * The wheelhouse to install from: the given one, or one built (or found) by pip, whose run also
   * compiles what {@code bytecode} needs. {@code interpreterRoot} learns the key of the compiler's
   * root file system as soon as it is known, when that root runs the image's interpreter.
   */
  Wheelhouse wheelhouse(DebianBase base, BytecodeStage bytecode, PythonTarget target,
      java.util.function.Consumer<String> interpreterRoot) throws BundlerException, IOException {
    if (request.wheelhouse() != null) {
      return new Wheelhouse(request.wheelhouse(), WheelSelection.userHashes(request.wheelhouse()));
    }
    CompileSettings settings = request.compile();
    if (!settings.hasSources()) {
      if (request.application().wheel() != null) {
        return new Wheelhouse(null, Map.of());
      }
      throw new InvalidInputException(Parameter.WHEELHOUSE, "No wheels for "
          + request.application() + ": give a wheelhouse (" + Parameter.WHEELHOUSE.withValue("DIR")
          + "), or where pip finds distributions to build one ("
          + Parameter.FIND_LINKS.withValue("DIR") + " or " + Parameter.INDEX.withValue("URL")
          + ")");
    }
    if (!(request.base() instanceof BaseImage.Debian)) {
      throw new InvalidInputException(Parameter.WHEELHOUSE, "Building a wheelhouse needs the "
          + "Debian base (" + Parameter.FROM.withValue("debian") + ") for its compiler; with "
          + Parameter.FROM.withValue(request.base().toString()) + " give pre-built wheels with "
          + Parameter.WHEELHOUSE);
    }
    List<BinaryPackage> compiler = debian.compilerPackages(settings.buildPackages());
    debian.forgetIndex();
    String rootKey = rootKey(base, compiler);
    boolean same = sameInterpreter(compiler, bytecode);
    if (same) {
      interpreterRoot.accept(rootKey);
    }
    WheelhouseCompiler.Job job = new WheelhouseCompiler.Job(rootKey, requirement(),
        "python" + request.python(), settings.index(), settings.findLinks(), settings.pipConf(),
        settings.constraints(), freshness());
    WheelhouseCompiler pip =
        new WheelhouseCompiler(request.cacheDirectory().resolve("wheelhouses"), events);
    Path cached = pip.cached(job);
    if (cached != null) {
      Map<String, String> hashes = verified(cached);
      if (hashes != null) {
        events.info("Wheelhouse of " + job.requirement() + " from the cache: " + cached
            + " (no container run)");
        return new Wheelhouse(cached, hashes, compiler, same ? rootKey : null);
      }
      events.warn("The cached wheelhouse " + cached + " does not hold the wheels recorded when "
          + "it was built: it was changed outside bundler. It is built again");
      AtomicFiles.deleteRecursively(cached);
    }
    Path directory = pip.target(job);
    String key = WheelhouseCompiler.key(job);
    if (shared.fetchTree(SharedCache.WHEELHOUSE, key, directory)) {
      return new Wheelhouse(directory, record(directory), compiler, same ? rootKey : null);
    }
    WheelReuse reuse = new WheelReuse(request.cacheDirectory().resolve("python").resolve("built"),
        seal, scratch, events);
    // The choice of wheels made here is the one the build selects: remembered, and their hashes
    // recorded as they were read (no wheel is opened or hashed twice).
    Map<String, String> assembled = new java.util.TreeMap<>();
    WheelReuse.Chosen chosen = wheels -> {
      assembled.putAll(WheelSelection.hashes(wheels));
      if (request.application().wheel() == null) {
        WheelSelection.of(request, seal, events).remember(request, wheels, target,
            WheelSelection.crontabPath(request));
      }
    };
    if (reuse.assemble(job, request.application(), target, rootKey, directory, chosen)) {
      return new Wheelhouse(directory, record(directory, assembled), compiler, same ? rootKey : null);
    }
    requireNativeArchitecture();
    Bytecode.Request alsoCompile = same ? bytecode.forCompileRun() : null;
    Path bytecodeOutput = alsoCompile == null ? null
        : Files.createTempDirectory(Files.createDirectories(scratch), "compiled-");
    WheelhouseCompiler.Result result = pip.compile(job, alsoCompile, bytecodeOutput, () -> {
      ContainerRoot root = containers.root(rootKey, "compiler (" + compiler.size()
          + " Debian packages)", () -> base.tree(compiler, debian.users(), request.architecture()));
      return new WheelhouseCompiler.Prepared(containers.runner(), root);
    });
    Map<String, String> hashes = record(result.wheelhouse());
    reuse.remember(job, rootKey, result.wheelhouse());
    shared.publishTree(SharedCache.WHEELHOUSE, key, result.wheelhouse());
    if (result.bytecode() != null) {
      bytecode.file(result.bytecode(), alsoCompile, hashes);
    }
    return new Wheelhouse(result.wheelhouse(), hashes, compiler, same ? rootKey : null);
  }

  /**
   * pip runs only natively: emulation without the kernel's help ({@link Emulation}) follows no
   * {@code exec}, and pip starts every build backend as a new process. A wheelhouse found in a
   * cache, or assembled from find-links wheels without pip, needs no run and is not refused.
   */
  private void requireNativeArchitecture() throws InvalidInputException {
    String architecture = request.architecture();
    if (!Emulation.isNative(architecture)) {
      throw new InvalidInputException(Parameter.ARCHITECTURE,
          Parameter.ARCHITECTURE.withValue(architecture) + " cannot build its wheelhouse on this "
          + Emulation.machineArchitecture()
          + " machine: pip would run in a container of " + architecture + " programs, which "
          + "this machine runs only emulated, and pip starts its build backends as new programs, "
          + "which the emulation cannot follow. Give the wheels with "
          + Parameter.WHEELHOUSE.withValue("DIR") + " "
          + "(pure-Python wheels, or " + architecture + " wheels built on an " + architecture
          + " machine), or build on an " + architecture + " machine");
    }
  }

  /** Records the wheels of a wheelhouse this build made (or took), sealed; returns their hashes. */
  private Map<String, String> record(Path wheelhouse) throws IOException {
    return record(wheelhouse, WheelSelection.hashes(wheelhouse));
  }

  /** Records {@code hashes}, those of the wheels of {@code wheelhouse}, sealed; returns them. */
  private Map<String, String> record(Path wheelhouse, Map<String, String> hashes) throws IOException {
    seal.write(manifest(wheelhouse), String.join("\n", hashes.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return hashes;
  }

  /** Whether the compiler's interpreter is the runtime's, so that its bytecode serves. */
  private boolean sameInterpreter(List<BinaryPackage> compiler, BytecodeStage bytecode) {
    return bytecode.enabled()
        && bytecode.interpreter().equals(BytecodeStage.interpreterOf(compiler, request.python()));
  }

  /** The wheel hashes of a cached wheelhouse if they are those recorded, else {@code null}. */
  private Map<String, String> verified(Path wheelhouse) throws IOException {
    byte[] recorded = seal.read(manifest(wheelhouse));
    if (recorded == null) {
      return null;
    }
    Map<String, String> hashes = WheelSelection.hashes(wheelhouse);
    String actual = String.join("\n", hashes.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList());
    return actual.equals(new String(recorded, java.nio.charset.StandardCharsets.UTF_8)) ? hashes : null;
  }

  private static Path manifest(Path wheelhouse) {
    return wheelhouse.resolveSibling(wheelhouse.getFileName() + ".wheels");
  }

  private String requirement() {
    return request.application().toString();
  }

  /**
   * For a requirement without version that only pip resolves (an index), the day: the newest
   * version is asked for again once a day, as the Debian archive is by default.
   */
  private String freshness() {
    return request.application().pinned() ? null
        : java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
  }

  /** Identifies the compiler's root file system by what makes it: its packages and users. */
  private String rootKey(DebianBase base, List<BinaryPackage> compiler) {
    return CacheKey.of("compiler-root/1")
        .with("architecture", request.architecture())
        .with("user", request.appUser() + ":" + request.appUid() + ":" + request.appGid())
        .with("packages", base.fingerprint(compiler))
        .build();
  }
}
