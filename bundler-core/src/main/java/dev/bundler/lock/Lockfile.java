package dev.bundler.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bundler.lock.json}: what a build resolved, so that it can be repeated exactly. It names
 * the inputs that decided the resolution, every Debian package (version, repository path,
 * SHA-256, layer) and every wheel (version, SHA-256). A lock whose inputs differ from the
 * request's is stale and refused.
 *
 * @param version the format version
 * @param inputs what decided the resolution
 * @param debian the Debian packages, by name
 * @param wheels the Python distributions, application first
 * @param compiler the compile stage's Debian packages, when a build compiles its wheelhouse (so
 *     that a locked build needs no archive index at all), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lockfile(int version, Inputs inputs, List<DebianPackage> debian, List<Wheel> wheels,
    Compiler compiler) {
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Lockfile {
    debian = debian == null ? List.of() : List.copyOf(debian);
    wheels = wheels == null ? List.of() : List.copyOf(wheels);
  }

  /** A lock without compiler packages. */
  public Lockfile(int version, Inputs inputs, List<DebianPackage> debian, List<Wheel> wheels) {
    this(version, inputs, debian, wheels, null);
  }

  /** This lock, also pinning the compiler's packages. */
  public Lockfile withCompiler(Compiler value) {
    return new Lockfile(version, inputs, debian, wheels, value);
  }

  /**
   * The compiler's Debian packages and the build packages they were resolved for.
   *
   * @param buildPackages the {@code bundler.buildPackages} of the resolution
   * @param packages every package of the compiler's root file system, by name
   */
  public record Compiler(List<String> buildPackages, List<DebianPackage> packages) {
    public Compiler {
      buildPackages = buildPackages == null ? List.of() : List.copyOf(buildPackages);
      packages = packages == null ? List.of() : List.copyOf(packages);
    }
  }

  /** The request values a resolution depends on. */
  public record Inputs(String application, String python, String architecture, String suite,
      List<String> components, List<String> runtimePackages, boolean essential) {}

  /** One Debian package as resolved. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DebianPackage(String name, String version, String architecture, String repository,
      String suite, String path, String sha256, long size, String layer, String priority,
      String section, String multiArch, boolean essential, String source) {}

  /** One wheel as installed. */
  public record Wheel(String name, String version, String file, String sha256) {}

  /**
   * Reads a lockfile, or reports why it cannot be used. Every field is checked before the lock
   * is returned (hashes are 64 hex digits, paths relative pool paths without {@code ..}, sizes
   * positive, names and versions well formed), since its values become paths and URLs.
   *
   * @throws InvalidInputException naming {@code bundler.lockFile}, the file and the bad field
   */
  public static Lockfile read(Path file) throws InvalidInputException {
    try {
      return parse(Files.readAllBytes(file), file);
    } catch (IOException e) {
      throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + file + " is not "
          + "readable (" + e.getMessage() + "): run mvn bundler:plan to write it again, or delete it", e);
    }
  }

  /** Reads a lockfile's bytes ({@code file} names it in errors). */
  public static Lockfile parse(byte[] bytes, Path file) throws InvalidInputException {
    try {
      Lockfile lock = JSON.readValue(bytes, Lockfile.class);
      if (lock.version() != FORMAT || lock.inputs() == null) {
        throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + file + " has format "
            + lock.version() + ", this bundler reads " + FORMAT + ": run mvn bundler:plan to "
            + "write it again");
      }
      LockfileFields.check(lock, file);
      return lock;
    } catch (IOException e) {
      throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + file + " is not "
          + "readable (" + e.getMessage() + "): run mvn bundler:plan to write it again, or delete it", e);
    }
  }

  /** Writes the lockfile atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, bytes());
  }

  /** The lockfile as it is written. */
  public byte[] bytes() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  /**
   * Fails if this lock was made for other inputs. The application is recorded but not compared:
   * a new application version keeps the Debian pins, and pinned wheels are checked one by one.
   *
   * @throws InvalidInputException naming the lockfile and each difference
   */
  public void requireInputs(Inputs current, Path file) throws InvalidInputException {
    List<String> differences = new ArrayList<>();
    compare("python", inputs.python(), current.python(), differences);
    compare("architecture", inputs.architecture(), current.architecture(), differences);
    compare("suite", inputs.suite(), current.suite(), differences);
    compare("components", inputs.components(), current.components(), differences);
    compare("runtimePackages", inputs.runtimePackages(), current.runtimePackages(), differences);
    compare("essential", inputs.essential(), current.essential(), differences);
    if (!differences.isEmpty()) {
      throw new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + file + " is stale: "
          + String.join("; ", differences) + ". Run mvn bundler:plan to update it, or delete it");
    }
  }

  private static void compare(String name, Object locked, Object now, List<String> differences) {
    if (locked == null ? now != null : !locked.equals(now)) {
      differences.add(name + " is " + now + " but the lock has " + locked);
    }
  }
}
