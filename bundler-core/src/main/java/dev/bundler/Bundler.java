package dev.bundler;

import dev.bundler.build.Pipeline;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheDirectory;
import dev.bundler.lock.Lockfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    Lockfile lock;
    try (Pipeline pipeline = Pipeline.open(request, events)) {
      lock = pipeline.resolve();
    }
    Path file = request.lockFile() != null ? request.lockFile()
        : request.outputDirectory().resolve(Parameter.LOCK_FILE.defaultValue().orElseThrow());
    lock.write(file);
    events.info("Wrote " + file);
    return lock;
  }

  /**
   * Builds the runner image and writes it as an OCI archive with its metadata and lockfile in the
   * request's output directory. What the output directory already holds of the same image is not
   * written again; a failed build leaves no image behind.
   */
  public BuildResult build(BundleRequest request) throws BundlerException, IOException {
    BuildResult upToDate = Pipeline.upToDate(request);
    if (upToDate != null) {
      events.info("The image " + upToDate.image().image() + " in " + request.outputDirectory()
          + " is up to date (" + upToDate.image().imageDigest() + "): no input changed since it "
          + "was built, nothing to do");
      return upToDate;
    }
    try (Pipeline pipeline = Pipeline.open(request, events)) {
      return pipeline.build(false);
    }
  }

  /**
   * Builds the runner image as {@link #build} does (the same outputs), then pushes it to the
   * registry its reference names: the same image, with the same digest as the tarball.
   */
  public BuildResult push(BundleRequest request) throws BundlerException, IOException {
    try (Pipeline pipeline = Pipeline.open(request, events)) {
      return pipeline.build(true);
    }
  }

  /**
   * Removes what builds wrote into {@code outputDirectory} (image tarball and metadata, SBOM, the
   * lockfile copy), and the directory if nothing else is left in it. The project's own lockfile is
   * not touched. Returns the files removed.
   */
  public List<Path> clean(Path outputDirectory) throws IOException {
    return clean(outputDirectory, null);
  }

  /**
   * Removes what builds wrote into {@code outputDirectory}, as {@link #clean(Path)}, never
   * touching the project's lockfile {@code lockFile} even when it lies there.
   */
  public List<Path> clean(Path outputDirectory, Path lockFile) throws IOException {
    List<Path> removed = Pipeline.removeOutputs(outputDirectory, lockFile);
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

  /**
   * Runs only the compile stage: builds (or finds in the cache) the wheelhouse of the request's
   * application, and returns its directory.
   */
  public Path compile(BundleRequest request) throws BundlerException, IOException {
    try (Pipeline pipeline = Pipeline.open(request, events)) {
      return pipeline.compile();
    }
  }
}
