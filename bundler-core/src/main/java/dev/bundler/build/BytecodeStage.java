package dev.bundler.build;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.compile.Bytecode;
import dev.bundler.compile.ContainerRoot;
import dev.bundler.compile.Emulation;
import dev.bundler.events.EventHandler;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.PlannedLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytecode the image ships: unchecked-hash {@code .pyc} files (PEP 552) for the Debian
 * packages' Python sources and for every wheel, compiled by the image's own interpreter
 * (bytecode is specific to it) and cached per unit. Missing units are compiled in one run: the
 * compile stage's container run, when pip runs anyway, else a run of their own, here (the
 * runtime's root, or the compiler's, run through its own loader: no container) or, where that
 * cannot run, in a container on the runtime's root. An image of another architecture than the
 * machine's is compiled by its interpreter under emulation, in a container (see {@link
 * dev.bundler.compile.Emulation}). Without a container runtime (or that emulator) where one is
 * needed, the image ships none, and says so.
 */
final class BytecodeStage {
  /** The Debian sources compiled: the interpreter's library and Python packages. */
  private static final java.util.regex.Pattern SYSTEM_SOURCE =
      java.util.regex.Pattern.compile("usr/lib/python3(\\.\\d+)?/.+\\.py");

  /** Builds a root file system and runs a container on it, for a run of its own. */
  interface Runner {
    /** The root a bytecode-only run uses (the runtime packages' tree). */
    ContainerRoot root() throws BundlerException, IOException;

    /** That root as an unpacked directory, whatever the container runtime, for a run here. */
    Path tree() throws BundlerException, IOException;

    dev.bundler.compile.ContainerRunner runner() throws BundlerException, IOException;

    /**
     * How the root's interpreter runs here: {@code null} natively, else under emulation.
     *
     * @throws EnvironmentException if it needs an emulator this machine lacks
     */
    Emulation emulation() throws EnvironmentException;
  }

  private final Bytecode store;
  private final String site;
  private final String python;
  private final String interpreter;
  private final List<BinaryPackage> packages;
  private final Sources sources;
  private final SharedCache shared;
  private final Path scratch;
  private final EventHandler events;
  private final Map<String, String> state = new TreeMap<>();
  private boolean noRuntime;

  /** Reads the Debian packages' files, when their sources must be compiled. */
  interface Sources {
    List<LayerEntry> entries(List<BinaryPackage> packages) throws BundlerException, IOException;
  }

  /**
   * @param site the virtualenv's site-packages directory in the image
   * @param python the interpreter's absolute path ({@code /usr/bin/python3.11})
   * @param interpreter what identifies the interpreter that compiles ({@code null}: none can, no
   *     bytecode: a base bundler did not build)
   * @param packages the runtime's Debian packages, whose sources are compiled
   */
  BytecodeStage(Bytecode store, String site, String python, String interpreter,
      List<BinaryPackage> packages, Sources sources, SharedCache shared, Path scratch,
      EventHandler events) {
    this.store = store;
    this.site = site;
    this.python = python;
    this.interpreter = interpreter;
    this.packages = List.copyOf(packages);
    this.sources = sources;
    this.shared = shared;
    this.scratch = scratch;
    this.events = events;
  }

  /**
   * What identifies the interpreter of {@code python} ({@code 3.11}) in {@code packages}: its
   * {@code pythonX.Y-minimal} package's hash, or {@code null} if the set has none.
   */
  static String interpreterOf(List<BinaryPackage> packages, String python) {
    for (BinaryPackage pkg : packages) {
      if (pkg.name().equals("python" + python + "-minimal")) {
        return pkg.name() + " " + pkg.version() + " " + pkg.sha256();
      }
    }
    return null;
  }

  /** Whether this image can have bytecode at all. */
  boolean enabled() {
    return interpreter != null;
  }

  /** The interpreter that must compile, for the compile stage to check it has the same one. */
  String interpreter() {
    return interpreter;
  }

  String systemKey() {
    CacheKey key = CacheKey.of(Bytecode.FORMAT).with("unit", "system")
        .with("interpreter", interpreter);
    packages.stream().map(BinaryPackage::sha256).sorted().forEach(sha -> key.with("deb", sha));
    return key.build();
  }

  String wheelKey(String sha256) {
    return CacheKey.of(Bytecode.FORMAT).with("unit", "wheel").with("interpreter", interpreter)
        .with("site", site).with("wheel", sha256).build();
  }

  /**
   * What the compile stage's pip run should compile besides the wheels it builds: the system
   * sources if their unit is missing. {@code null} when bytecode is off.
   */
  Bytecode.Request forCompileRun() throws BundlerException, IOException {
    if (!enabled()) {
      return null;
    }
    return new Bytecode.Request(has(systemKey()) ? List.of() : systemSources(), site);
  }

  /**
   * Files what the compile stage's run compiled ({@code output}, for {@code request}) into
   * units: the system sources if it was asked to, and each wheel it built ({@code wheels}: file
   * name to SHA-256).
   */
  void file(Path output, Bytecode.Request request, Map<String, String> wheels) throws IOException {
    if (!request.system().isEmpty()) {
      keep(systemKey(), output.resolve("system"));
    }
    for (Map.Entry<String, String> wheel : wheels.entrySet()) {
      keep(wheelKey(wheel.getValue()), output.resolve("wheels").resolve(wheel.getKey()));
    }
  }

  /** Stores a unit this build compiled, and records it in the registry cache. */
  private void keep(String key, Path compiled) throws IOException {
    store.store(key, compiled);
    shared.publishTree(SharedCache.BYTECODE, key, store.tree(key));
  }

  /** Whether unit {@code key} is here, taken from the registry cache if need be. */
  private boolean has(String key) throws IOException {
    if (store.has(key)) {
      return true;
    }
    Path fetched = scratch.resolve("shared-bytecode-" + key);
    if (shared.fetchTree(SharedCache.BYTECODE, key, fetched)) {
      store.store(key, fetched);
      return true;
    }
    return false;
  }

  /**
   * Compiles, in one container run, every unit the {@code wheels} and the system sources need
   * and the cache lacks; records what each layer key says about bytecode.
   */
  void ensure(List<WheelSelection.Selected> wheels, Runner containers)
      throws BundlerException, IOException {
    if (!enabled()) {
      return;
    }
    boolean systemMissing = !has(systemKey());
    List<WheelSelection.Selected> missing = new ArrayList<>();
    for (WheelSelection.Selected wheel : wheels) {
      if (!has(wheelKey(wheel.sha256()))) {
        missing.add(wheel);
      }
    }
    if ((systemMissing || !missing.isEmpty()) && !noRuntime) {
      compile(missing, systemMissing, containers);
    }
    state.put("system", store.has(systemKey()) ? systemKey() : "none");
    for (WheelSelection.Selected wheel : wheels) {
      state.put(wheel.sha256(), store.has(wheelKey(wheel.sha256())) ? wheelKey(wheel.sha256()) : "none");
    }
  }

  private void compile(List<WheelSelection.Selected> missing, boolean systemMissing,
      Runner containers) throws BundlerException, IOException {
    boolean foreign;
    try {
      foreign = containers.emulation() != null;
    } catch (EnvironmentException missingEmulator) {
      foreign = true;
    }
    Path work = Files.createTempDirectory(Files.createDirectories(scratch), "bytecode-");
    try {
      Run run = new Run(new Bytecode.Request(systemMissing ? systemSources() : List.of(),
          missing.isEmpty() ? null : site), wheelsOf(missing, work), missing, systemMissing);
      if (foreign || !compileHere(run, containers, work.resolve("here"))) {
        compileInContainer(run, containers, work);
      }
    } finally {
      dev.bundler.io.AtomicFiles.deleteRecursively(work);
    }
  }

  /**
   * Compiles with the runtime root's interpreter run here, which needs no container runtime and
   * spares a container's start (podman: 0.4 s); {@code false} if it cannot run here.
   */
  private boolean compileHere(Run run, Runner containers, Path work)
      throws BundlerException, IOException {
    Path tree = containers.tree();
    long start = System.nanoTime();
    Path output = Files.createDirectories(work.resolve("bytecode"));
    events.info(run.what() + " with the image's interpreter, here");
    if (!Bytecode.compileHere(tree, python, run.request(), run.wheels(), work, output, events)) {
      return false;
    }
    keep(run, output);
    events.info(String.format("Compiled the bytecode in %.1f s", (System.nanoTime() - start) / 1e9));
    return true;
  }

  private void compileInContainer(Run run, Runner containers, Path work)
      throws BundlerException, IOException {
    dev.bundler.compile.ContainerRunner runner;
    Emulation emulation;
    try {
      runner = containers.runner();
      emulation = containers.emulation();
    } catch (EnvironmentException e) {
      noRuntime = true;
      events.warn("The image ships no Python bytecode: " + e.getMessage().replaceFirst(
          "^No container runtime found on the PATH to build the wheelhouse: ", "no container "
              + "runtime to compile it (") + (e.getMessage().startsWith("No container") ? ")" : "")
          + ". Python then compiles modules in memory at every start");
      return;
    }
    long start = System.nanoTime();
    events.info(run.what() + " in a container" + (emulation == null ? ""
            : ", the image's " + emulation.architecture() + " interpreter run by "
                + emulation.binary()));
    Path output = work.resolve("bytecode");
    Files.createDirectories(output);
    Bytecode.compile(runner, containers.root(), python, run.request(), run.wheels(), work, output,
        emulation);
    keep(run, output);
    events.info(String.format("Compiled the bytecode in %.1f s", (System.nanoTime() - start) / 1e9));
  }

  /** The {@code wheels} linked (or copied) into a directory of their own under {@code work}. */
  private static Path wheelsOf(List<WheelSelection.Selected> wheels, Path work) throws IOException {
    Path selected = Files.createDirectories(work.resolve("wheels"));
    for (WheelSelection.Selected wheel : wheels) {
      Path link = selected.resolve(wheel.file().getFileName().toString());
      try {
        Files.createLink(link, wheel.file());
      } catch (IOException | UnsupportedOperationException otherFileSystem) {
        Files.copy(wheel.file(), link);
      }
    }
    return selected;
  }

  /**
   * One run's work: what the driver compiles, the wheels' directory, the wheels and whether the
   * system sources are among it.
   */
  private record Run(Bytecode.Request request, Path wheels, List<WheelSelection.Selected> missing,
      boolean system) {
    String what() {
      return "Compiling Python bytecode (" + (system ? "the system's and " : "") + missing.size()
          + " wheels)";
    }
  }

  /** Stores the units {@code run} compiled into {@code output}. */
  private void keep(Run run, Path output) throws IOException {
    if (run.system()) {
      keep(systemKey(), output.resolve("system"));
    }
    for (WheelSelection.Selected wheel : run.missing()) {
      keep(wheelKey(wheel.sha256()),
          output.resolve("wheels").resolve(wheel.file().getFileName().toString()));
    }
  }

  /** What a layer key records about a wheel's bytecode: its unit, or {@code none}. */
  String wheelState(String sha256) {
    return state.getOrDefault(sha256, "none");
  }

  /** The wheel's {@code .pyc} files by path under site-packages (empty without bytecode). */
  Map<String, byte[]> wheel(String sha256) throws BundlerException, IOException {
    String unit = wheelState(sha256);
    return unit.equals("none") ? Map.of() : load(unit);
  }

  /** The layer of the system sources' bytecode, or {@code null} without. */
  PlannedLayer systemLayer() {
    String unit = state.getOrDefault("system", "none");
    if (unit.equals("none")) {
      return null;
    }
    return new PlannedLayer("python bytecode of the Debian packages",
        CacheKey.of("bytecode-layer/1").with("unit", unit).build(), () -> {
      List<LayerEntry> entries = new ArrayList<>();
      load(unit).forEach((path, bytes) ->
          entries.add(LayerEntry.file(path, 0644, 0, 0, Content.of(bytes))));
      return entries;
    });
  }

  private Map<String, byte[]> load(String unit) throws BundlerException, IOException {
    Map<String, byte[]> loaded = store.load(unit);
    if (loaded == null) {
      throw new EnvironmentException("The cached bytecode " + unit + " was damaged or removed "
          + "while the build ran (it is now evicted): build again to compile it anew");
    }
    return loaded;
  }

  /** The regular file {@code entry} is or links to, within {@code byPath}, or {@code null}. */
  private static LayerEntry resolve(LayerEntry entry, Map<String, LayerEntry> byPath) {
    for (int hops = 0; entry != null && hops < 8; hops++) {
      if (entry.type() == LayerEntry.Type.FILE) {
        return entry;
      }
      if (entry.type() != LayerEntry.Type.SYMLINK) {
        return null;
      }
      String target = entry.linkTarget();
      String base = entry.path().contains("/")
          ? entry.path().substring(0, entry.path().lastIndexOf('/') + 1) : "";
      try {
        String path = java.nio.file.Path.of("/" + (target.startsWith("/") ? target : base + target))
            .normalize().toString();
        entry = byPath.get(LayerEntry.normalize(path));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private List<Bytecode.Source> systemSources() throws BundlerException, IOException {
    List<LayerEntry> entries = sources.entries(packages);
    Map<String, LayerEntry> byPath = new java.util.HashMap<>();
    entries.forEach(entry -> byPath.put(entry.path(), entry));
    List<Bytecode.Source> found = new ArrayList<>();
    for (LayerEntry entry : entries) {
      if (SYSTEM_SOURCE.matcher(entry.path()).matches()) {
        // A link (sitecustomize.py -> /etc/...) is compiled from its target, under its own name.
        LayerEntry file = resolve(entry, byPath);
        if (file != null && file.content().file() != null) {
          found.add(new Bytecode.Source(file.content().file(), "/" + entry.path()));
        }
      }
    }
    return found;
  }
}
