package dev.bundler.compile;

import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.CacheKey;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds the wheelhouse of a requirement with {@code pip wheel}, in one container run of the
 * compiler image, and keeps it in a cache keyed by everything that decides its content: a second
 * request with the same key runs no container.
 */
public final class WheelhouseCompiler {
  /** Version of the way wheelhouses are built; part of the cache key. */
  static final String FORMAT = "wheelhouse/2";

  private final Path cache;
  private final EventHandler events;

  public WheelhouseCompiler(Path cache, EventHandler events) {
    this.cache = cache;
    this.events = events;
  }

  /**
   * What to build.
   *
   * @param compilerImageId what identifies the compiler image's content
   * @param requirement the requirement to build, {@code NAME[extras]==VERSION}
   * @param python the interpreter in the image, {@code python3.11}
   * @param index an index URL or {@code null}
   * @param findLinks local directories or URLs
   * @param pipConf a pip.conf or {@code null}
   * @param constraints a constraints file or {@code null}
   * @param freshness how long a wheelhouse serves when its inputs cannot tell (an unpinned
   *     requirement against an index: the day), or {@code null}
   */
  public record Job(String compilerImageId, String requirement, String python,
      String index, List<String> findLinks, Path pipConf, Path constraints, String freshness) {
    public Job {
      findLinks = List.copyOf(findLinks);
    }

    /** A job whose wheelhouse depends only on its inputs. */
    public Job(String compilerImageId, String requirement, String python, String index,
        List<String> findLinks, Path pipConf, Path constraints) {
      this(compilerImageId, requirement, python, index, findLinks, pipConf, constraints, null);
    }
  }

  /**
   * A wheelhouse and whether it came from the cache; when it was built, the bytecode the same
   * run compiled ({@code bytecode}: {@code system/} and {@code wheels/NAME.whl/} trees, in a
   * directory the caller takes over), else {@code null}.
   */
  public record Result(Path wheelhouse, boolean fromCache, Path bytecode) {}

  /** Where the wheelhouse of {@code job} is kept (it may not exist). */
  public Path target(Job job) throws IOException {
    return cache.resolve(key(job));
  }

  /** The cached wheelhouse of {@code job}, if there is one. */
  public Path cached(Job job) throws IOException {
    Path directory = cache.resolve(key(job));
    return Files.isDirectory(directory) ? directory : null;
  }

  /**
   * Builds (or finds) the wheelhouse of {@code job}, running {@code runner} at most once; the same
   * run byte-compiles what {@code bytecode} asks for and the built wheels, into {@code
   * bytecodeOutput} (a directory the caller made, or {@code null} for no bytecode).
   */
  public Result compile(Job job, Bytecode.Request bytecode, Path bytecodeOutput,
      ContainerRunnerFactory runners) throws BundlerException, IOException {
    Path target = cache.resolve(key(job));
    if (Files.isDirectory(target)) {
      events.info("Wheelhouse of " + job.requirement() + " from the cache: " + target
          + " (no container run)");
      return new Result(target, true, null);
    }
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory(cache, ".build-");
    try {
      Path output = writable(work.resolve("wheels"));
      Prepared prepared = runners.create();
      Path driver = work.resolve("driver");
      List<String> bytecodeArguments = bytecodeOutput == null ? null
          : Bytecode.prepare(bytecode, driver, "/bundler", "/bytecode", "/wheelhouse");
      if (bytecodeOutput != null) {
        readable(driver);
        writable(bytecodeOutput);
      }
      Path requirements = work.resolve("requirements.txt");
      Files.writeString(requirements, requirements(job), java.nio.charset.StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(requirements, PosixFilePermissions.fromString("rw-r--r--"));
      ContainerRun run = run(job, prepared.root(), output, requirements, bytecodeArguments, driver,
          bytecodeOutput);
      events.info("Building the wheelhouse of " + job.requirement() + " with pip in a container");
      ContainerRunner.Outcome outcome = prepared.runner().run(run);
      if (!outcome.succeeded()) {
        throw new InvalidInputException(Parameter.PACKAGE, "pip could not build the wheelhouse of "
            + job.requirement() + " from " + sources(job) + " (exit " + outcome.exitCode()
            + "). Its last lines:\n  " + String.join("\n  ", outcome.tail()) + "\nCheck the "
            + "package name and version, the index (" + Parameter.INDEX.named() + ", "
            + Parameter.FIND_LINKS.named() + "), and, if a C header or library is missing, add "
            + "its -dev package to " + Parameter.BUILD_PACKAGES);
      }
      try (Stream<Path> wheels = Files.list(output)) {
        if (wheels.noneMatch(f -> f.toString().endsWith(".whl"))) {
          throw new InvalidInputException(Parameter.PACKAGE,
              "pip built no wheel for " + job.requirement());
        }
      }
      publish(output, target);
      return new Result(target, false, bytecodeOutput);
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
  }

  /** Moves a finished wheelhouse into place; a concurrent build of the same key may win. */
  private static void publish(Path output, Path target) throws IOException {
    try {
      Files.move(output, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException concurrent) {
      // Another build of the same inputs finished first: its wheelhouse is as good.
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(output, target);
    }
  }

  /**
   * Finds the container runtime and writes the compiler image only when a container must run: a
   * cached wheelhouse needs neither.
   */
  @FunctionalInterface
  public interface ContainerRunnerFactory {
    Prepared create() throws BundlerException, IOException;
  }

  /** A runner and the compiler's root file system, in the form its runtime runs. */
  public record Prepared(ContainerRunner runner, ContainerRoot root) {}

  /** A directory anyone may write, for the container's unprivileged user. */
  static Path writable(Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    return directory;
  }

  /** Directories (and what is in them) anyone may read. */
  static void readable(Path... directories) throws IOException {
    for (Path top : directories) {
      try (Stream<Path> walk = Files.walk(top)) {
        for (Path path : walk.toList()) {
          if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
  }

  private static String sources(Job job) {
    List<String> sources = new ArrayList<>();
    if (job.index() != null) {
      sources.add("index " + job.index());
    }
    job.findLinks().forEach(link -> sources.add("find-links " + link));
    if (job.pipConf() != null) {
      sources.add("pip.conf " + job.pipConf());
    }
    return dev.bundler.io.Redact.urls(String.join(", ", sources));
  }

  /** The container run of pip alone: sources mounted read-only, output mounted writable. */
  static ContainerRun run(Job job, ContainerRoot root, Path output, Path requirements) {
    return run(job, root, output, requirements, null, null, null);
  }

  /**
   * The requirements file pip reads: the requirement, and the index and find-links URLs, which
   * may carry credentials. It is mounted from the build's private scratch directory: a secret
   * on pip's command line or in the container's environment would be stored by the container
   * runtime (podman's database) and shown by {@code ps}.
   */
  static String requirements(Job job) {
    StringBuilder file = new StringBuilder();
    if (job.index() != null) {
      file.append("--index-url ").append(job.index()).append('\n');
    }
    for (String link : job.findLinks()) {
      if (isUrl(link)) {
        file.append("--find-links ").append(link).append('\n');
      }
    }
    return file.append(job.requirement()).append('\n').toString();
  }

  /**
   * The container run: pip wheel (through bundler's driver when it also byte-compiles, with
   * {@code bytecodeArguments}, the driver's directory and the bytecode output mounted), sources
   * mounted read-only, output mounted writable.
   */
  static ContainerRun run(Job job, ContainerRoot root, Path output, Path requirements,
      List<String> bytecodeArguments, Path driver, Path bytecodeOutput) {
    List<ContainerRun.Mount> mounts = new ArrayList<>();
    mounts.add(new ContainerRun.Mount(output, "/wheelhouse", false));
    List<String> command = new ArrayList<>();
    command.add(job.python());
    if (bytecodeArguments != null) {
      mounts.add(new ContainerRun.Mount(driver, "/bundler", true));
      mounts.add(new ContainerRun.Mount(bytecodeOutput, "/bytecode", false));
      command.addAll(Bytecode.DRIVER_OPTIONS);
      command.addAll(bytecodeArguments);
      command.add("--pip");
    } else {
      command.addAll(List.of("-m", "pip", "wheel"));
    }
    command.addAll(List.of("--no-cache-dir", "--disable-pip-version-check", "--progress-bar", "off",
        "--wheel-dir", "/wheelhouse"));
    boolean network = job.index() != null;
    Map<String, String> environment = new TreeMap<>();
    if (job.index() == null && job.pipConf() == null) {
      command.add("--no-index");
    }
    int n = 0;
    for (String link : job.findLinks()) {
      if (isUrl(link)) {
        network = true; // named in the requirements file
      } else {
        String mountPoint = "/find-links/" + n++;
        mounts.add(new ContainerRun.Mount(Path.of(link), mountPoint, true));
        command.add("--find-links");
        command.add(mountPoint);
      }
    }
    environment.put("HOME", "/tmp");
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    environment.put("PYTHONHASHSEED", "0");
    // Wheels built from sources get fixed zip times (the wheel package honours it): the same
    // inputs give the same wheel bytes, hence the same layer keys on every machine.
    environment.put("SOURCE_DATE_EPOCH", "315532800");
    if (job.pipConf() != null) {
      mounts.add(new ContainerRun.Mount(job.pipConf(), "/etc/bundler/pip.conf", true));
      environment.put("PIP_CONFIG_FILE", "/etc/bundler/pip.conf");
      network = true;
    } else {
      environment.put("PIP_CONFIG_FILE", "/dev/null");
    }
    if (job.constraints() != null) {
      mounts.add(new ContainerRun.Mount(job.constraints(), "/etc/bundler/constraints.txt", true));
      command.add("--constraint");
      command.add("/etc/bundler/constraints.txt");
    }
    mounts.add(new ContainerRun.Mount(requirements, "/etc/bundler/requirements.txt", true));
    command.add("--requirement");
    command.add("/etc/bundler/requirements.txt");
    return new ContainerRun(root, mounts, "1000:1000", network, environment,
        "/tmp", command);
  }

  static boolean isUrl(String link) {
    return link.startsWith("http://") || link.startsWith("https://");
  }

  /** Everything that decides the wheelhouse: the cache key. */
  public static String key(Job job) throws IOException {
    CacheKey key = CacheKey.of(FORMAT)
        .with("requirement", job.requirement())
        .with("python", job.python())
        .with("compiler", job.compilerImageId())
        .with("index", job.index())
        .with("freshness", job.freshness());
    for (String link : job.findLinks()) {
      key.with("find-links", link);
      if (!isUrl(link)) {
        addDirectory(key, Path.of(link));
      }
    }
    if (job.pipConf() != null) {
      key.withFile("pip.conf", job.pipConf());
    }
    if (job.constraints() != null) {
      key.withFile("constraints", job.constraints());
    }
    return key.build();
  }

  /** A local find-links directory counts by the names and contents of its files. */
  private static void addDirectory(CacheKey key, Path directory) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    }
    files.sort(null);
    for (Path file : files) {
      key.withFile(file.getFileName().toString(), file);
    }
  }
}
