package dev.bundler.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.io.KeyLocks;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Byte-compiled Python for the image: what the compile stage's container run is asked to compile,
 * and the cache of what it compiled, one unit per wheel (or per set of standard-library sources),
 * keyed by everything that decides the bytes (the sources, the path they have in the image, the
 * interpreter that compiles them).
 *
 * <p>Each unit is a tree of {@code .pyc} files with a sealed manifest of their SHA-256; {@link
 * #load} checks every file against it as it reads it.
 */
public final class Bytecode {
  /** Version of the way bytecode is made (the driver script, its options); part of every key. */
  public static final String FORMAT = "bytecode/3";

  /**
   * The interpreter's options for the driver, in a container and here alike: no {@code site}
   * module (a root's {@code sitecustomize.py} links to {@code /etc}, which here is this machine's)
   * and no user site, so both routes start the same interpreter state and write the same bytes.
   * Not {@code -E} or {@code -I}: they would ignore {@code PYTHONHASHSEED}, which fixes the order
   * of set constants.
   */
  static final List<String> DRIVER_OPTIONS = List.of("-s", "-S");

  /** The environment of the driver, in a container and here alike. */
  private static Map<String, String> driverEnvironment(String home) {
    return Map.of("HOME", home, "PYTHONDONTWRITEBYTECODE", "1", "PYTHONHASHSEED", "0");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final CacheSeal seal;

  public Bytecode(Path directory, CacheSeal seal) {
    this.directory = directory;
    this.seal = seal;
  }

  /**
   * What one run compiles: standard-library (or other system) sources, each as a file on this
   * machine and the path it has in the image; and the wheels of a directory as installed in
   * {@code site}.
   *
   * @param system sources outside the virtualenv (empty for none)
   * @param site the virtualenv's site-packages path in the image, or {@code null} for no wheels
   */
  public record Request(List<Source> system, String site) {
    public Request {
      system = List.copyOf(system);
    }

    public boolean isEmpty() {
      return system.isEmpty() && site == null;
    }
  }

  /** A Python source to compile, and where the image has it. */
  public record Source(Path file, String imagePath) {
    public Source {
      Objects.requireNonNull(file, "file");
      if (!imagePath.startsWith("/")) {
        throw new IllegalArgumentException("not an absolute image path: " + imagePath);
      }
    }
  }

  /** Whether unit {@code key} is cached (its files are checked when loaded). */
  public boolean has(String key) throws IOException {
    return seal.read(manifest(key)) != null;
  }

  /**
   * The {@code .pyc} files of unit {@code key} by path (relative to the unit's root: the image
   * root for system sources, site-packages for a wheel), each checked against the sealed
   * manifest; {@code null} if the unit is absent or any file is damaged (it is then removed).
   */
  public Map<String, byte[]> load(String key) throws IOException {
    return locks().with(key, () -> loadLocked(key));
  }

  private Map<String, byte[]> loadLocked(String key) throws IOException {
    byte[] sealed = seal.read(manifest(key));
    if (sealed == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> files = JSON.readValue(sealed, TreeMap.class);
    Map<String, byte[]> loaded = new LinkedHashMap<>();
    Path tree = tree(key);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = tree.resolve(file.getKey()).normalize();
      byte[] bytes = path.startsWith(tree) && Files.isRegularFile(path) ? Files.readAllBytes(path) : null;
      if (bytes == null || !Digests.sha256Hex(bytes).equals(file.getValue())) {
        evict(key);
        return null;
      }
      loaded.put(file.getKey(), bytes);
    }
    return loaded;
  }

  /**
   * Files the tree under {@code compiled} as unit {@code key} (moving it), sealed. A unit that is
   * there already and whole is kept (a key decides the bytes): two builds that compiled the same
   * unit at once (a {@code mvn -T} reactor, machines sharing a cache) never remove the unit the
   * other one is reading.
   */
  public void store(String key, Path compiled) throws IOException {
    locks().with(key, () -> {
      if (loadLocked(key) != null) {
        AtomicFiles.deleteRecursively(compiled);
        return null;
      }
      storeLocked(key, compiled);
      return null;
    });
  }

  private KeyLocks locks() {
    return new KeyLocks(directory.resolve("locks"));
  }

  private void storeLocked(String key, Path compiled) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.isDirectory(compiled)) {
      try (Stream<Path> walk = Files.walk(compiled)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          files.put(compiled.relativize(file).toString(), Digests.sha256Hex(file));
        }
      }
    }
    evict(key);
    Files.createDirectories(directory);
    if (Files.isDirectory(compiled)) {
      Files.move(compiled, tree(key), StandardCopyOption.ATOMIC_MOVE);
    }
    seal.write(manifest(key), JSON.writeValueAsBytes(files));
  }

  private void evict(String key) throws IOException {
    Files.deleteIfExists(manifest(key));
    AtomicFiles.deleteRecursively(tree(key));
  }

  private Path manifest(String key) {
    return directory.resolve(key + ".json");
  }

  /** Where unit {@code key}'s files are kept. */
  public Path tree(String key) {
    return directory.resolve(key);
  }

  /**
   * Byte-compiles {@code request} in one container run on {@code root} with {@code python}
   * ({@code /usr/bin/python3.11}): the wheels of {@code wheels} (mounted read-only) and the system
   * sources, into {@code output}. {@code work} is a scratch directory for the driver. A root of
   * another architecture runs its interpreter under {@code emulation} ({@code null}: natively).
   *
   * @throws dev.bundler.EnvironmentException if the container cannot run or the driver fails
   */
  public static void compile(ContainerRunner runner, ContainerRoot root, String python,
      Request request, Path wheels, Path work, Path output, Emulation emulation)
      throws dev.bundler.EnvironmentException, IOException {
    Path driver = work.resolve("driver");
    List<String> arguments = prepare(request, driver, "/bundler", "/bytecode", "/wheels");
    WheelhouseCompiler.readable(driver);
    WheelhouseCompiler.writable(output);
    List<ContainerRun.Mount> mounts = new ArrayList<>();
    mounts.add(new ContainerRun.Mount(driver, "/bundler", true));
    mounts.add(new ContainerRun.Mount(output, "/bytecode", false));
    if (wheels != null) {
      mounts.add(new ContainerRun.Mount(wheels, "/wheels", true));
    }
    List<String> command = new ArrayList<>();
    command.add(python);
    command.addAll(DRIVER_OPTIONS);
    command.addAll(arguments);
    if (emulation != null) {
      mounts.add(emulation.mount());
      command = emulation.wrap(command);
    }
    ContainerRunner.Outcome outcome = runner.run(new ContainerRun(root, mounts, "1000:1000", false,
        driverEnvironment("/tmp"), "/tmp", command));
    if (!outcome.succeeded()) {
      throw new dev.bundler.EnvironmentException("Byte-compiling the image's Python failed (exit "
          + outcome.exitCode() + "). Its last lines:\n  " + String.join("\n  ", outcome.tail()));
    }
  }

  /**
   * Byte-compiles {@code request} as {@link #compile} does, with the same driver, interpreter,
   * options and environment, but here rather than in a container: the interpreter of the unpacked
   * root {@code tree} runs through the root's own dynamic loader ({@link HereInterpreter}), as
   * the build's user. It runs no code of a wheel: compiling parses sources, it executes none.
   *
   * @return whether it compiled; {@code false} (said at debug level) if the root's interpreter
   *     cannot run here (a cache on a {@code noexec} file system, a root of another layout) or
   *     the driver failed: the caller then discards {@code work} and {@code output} and compiles
   *     in a container, which names a failure
   */
  public static boolean compileHere(Path tree, String python, Request request, Path wheels,
      Path work, Path output, EventHandler events) throws IOException {
    List<String> interpreter = HereInterpreter.command(tree, python, Emulation.machineArchitecture());
    if (interpreter == null) {
      events.debug("The root " + tree + " has no " + python + " this machine runs by its loader");
      return false;
    }
    Path driver = work.resolve("driver");
    List<String> command = new ArrayList<>(interpreter);
    command.addAll(DRIVER_OPTIONS);
    command.addAll(prepare(request, driver, driver.toString(), output.toString(),
        wheels == null ? null : wheels.toString()));
    Path home = Files.createDirectories(work.resolve("home"));
    Path log = work.resolve("here.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(driverEnvironment(home.toString()));
    builder.environment().put("TMPDIR", home.toString());
    events.debug("Running " + String.join(" ", command));
    long started = System.nanoTime();
    int exit;
    try {
      Process process = builder.start();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        exit = -1;
      } else {
        exit = process.exitValue();
      }
    } catch (IOException cannotStart) {
      events.debug("The root's interpreter cannot run here: " + cannotStart.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while compiling bytecode");
    }
    events.debug(String.format("The root's interpreter ran for %.3f s (exit %d)",
        (System.nanoTime() - started) / 1e9, exit));
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    if (exit != 0) {
      lines.forEach(line -> events.debug("  | " + line));
      events.debug("The root's interpreter failed here (exit " + exit + "); compiling in a "
          + "container instead");
      return false;
    }
    lines.forEach(line -> events.info("  | " + line));
    return true;
  }

  /**
   * Lays out the driver's input under {@code work} (which the driver sees at {@code driverAt}):
   * {@code compile.py}, the system sources (hard-linked where possible) and their listing.
   * Returns the driver's arguments ({@code outputAt} and {@code wheelsAt}, which may be {@code
   * null}, are where it sees its output and the wheels) before {@code --pip}.
   */
  static List<String> prepare(Request request, Path work, String driverAt, String outputAt,
      String wheelsAt) throws IOException {
    Files.createDirectories(work);
    try (InputStream script = Bytecode.class.getResourceAsStream("compile.py")) {
      Files.copy(Objects.requireNonNull(script, "compile.py is missing from the jar"),
          work.resolve("compile.py"));
    }
    List<String> arguments = new ArrayList<>(List.of(driverAt + "/compile.py", "--output", outputAt));
    if (!request.system().isEmpty()) {
      StringBuilder listing = new StringBuilder();
      Path sources = work.resolve("system");
      int n = 0;
      for (Source source : request.system()) {
        String name = (n++) + ".py";
        try {
          Files.createLink(sources.resolve(name), source.file());
        } catch (java.nio.file.NoSuchFileException missingDirectory) {
          Files.createDirectories(sources);
          Files.createLink(sources.resolve(name), source.file());
        } catch (IOException | UnsupportedOperationException otherFileSystem) {
          Files.createDirectories(sources);
          Files.copy(source.file(), sources.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        listing.append(driverAt).append("/system/").append(name).append('\t')
            .append(source.imagePath()).append('\n');
      }
      Files.writeString(work.resolve("system.list"), listing, StandardCharsets.UTF_8);
      arguments.addAll(List.of("--system", driverAt + "/system.list"));
    }
    if (request.site() != null) {
      arguments.addAll(List.of("--wheels", wheelsAt, request.site()));
    }
    return arguments;
  }
}
