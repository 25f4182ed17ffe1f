package dev.bundler.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
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
  public static final String FORMAT = "bytecode/2";

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
    List<String> arguments = prepare(request, driver, "/wheels");
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
    command.addAll(arguments);
    if (emulation != null) {
      mounts.add(emulation.mount());
      command = emulation.wrap(command);
    }
    ContainerRunner.Outcome outcome = runner.run(new ContainerRun(root, mounts, "1000:1000", false,
        Map.of("HOME", "/tmp", "PYTHONDONTWRITEBYTECODE", "1", "PYTHONHASHSEED", "0"), "/tmp",
        command));
    if (!outcome.succeeded()) {
      throw new dev.bundler.EnvironmentException("Byte-compiling the image's Python failed (exit "
          + outcome.exitCode() + "). Its last lines:\n  " + String.join("\n  ", outcome.tail()));
    }
  }

  /**
   * Lays out the driver's input under {@code work} (mounted read-only at {@code /bundler}):
   * {@code compile.py}, the system sources (hard-linked where possible) and their listing.
   * Returns the driver's arguments before {@code --pip}.
   */
  static List<String> prepare(Request request, Path work, String wheelsMount) throws IOException {
    Files.createDirectories(work);
    try (InputStream script = Bytecode.class.getResourceAsStream("compile.py")) {
      Files.copy(Objects.requireNonNull(script, "compile.py is missing from the jar"),
          work.resolve("compile.py"));
    }
    List<String> arguments = new ArrayList<>(List.of("/bundler/compile.py", "--output", "/bytecode"));
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
        listing.append("/bundler/system/").append(name).append('\t').append(source.imagePath())
            .append('\n');
      }
      Files.writeString(work.resolve("system.list"), listing, StandardCharsets.UTF_8);
      arguments.addAll(List.of("--system", "/bundler/system.list"));
    }
    if (request.site() != null) {
      arguments.addAll(List.of("--wheels", wheelsMount, request.site()));
    }
    return arguments;
  }
}
