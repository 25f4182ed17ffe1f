package dev.bundler.lock;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.apt.DebianBase;
import dev.bundler.apt.DebianVersion;
import dev.bundler.python.Pep440Version;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks every field of a lockfile passes before anything it names is read: a lockfile is
 * untrusted input (a commit, a cache), and its values become cache paths and download URLs.
 */
final class LockfileFields {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DEBIAN_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  private static final Pattern ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern POOL_PATH = Pattern.compile("[A-Za-z0-9._+~%-]+(/[A-Za-z0-9._+~%-]+)*\\.deb");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+/-]*");
  private static final Pattern WHEEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern WHEEL_FILE = Pattern.compile("[A-Za-z0-9._+!-]+\\.whl");
  private static final Pattern PYTHON = Pattern.compile("3\\.\\d{1,2}");
  private static final Set<String> MULTI_ARCH = Set.of("same", "foreign", "allowed", "no");

  private final Path file;

  private LockfileFields(Path file) {
    this.file = file;
  }

  /** Checks every field of {@code lock}, read from {@code file}. */
  static void check(Lockfile lock, Path file) throws InvalidInputException {
    new LockfileFields(file).check(lock);
  }

  private void check(Lockfile lock) throws InvalidInputException {
    Lockfile.Inputs inputs = lock.inputs();
    require("inputs.python", inputs.python(), PYTHON.matcher(String.valueOf(inputs.python())).matches(),
        "a Python version, MAJOR.MINOR");
    require("inputs.architecture", inputs.architecture(), matches(ARCHITECTURE, inputs.architecture()),
        "a Debian architecture");
    require("inputs.suite", inputs.suite(), matches(SUITE, inputs.suite()), "a Debian suite");
    tokens("inputs.components", inputs.components());
    for (String name : inputs.runtimePackages() == null ? List.<String>of() : inputs.runtimePackages()) {
      require("inputs.runtimePackages", name, matches(DEBIAN_NAME, name), "a Debian package name");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < lock.debian().size(); i++) {
      Lockfile.DebianPackage pkg = lock.debian().get(i);
      if (pkg == null) {
        throw invalid("debian[" + i + "]", null, "a package");
      }
      debian("debian[" + i + "] (" + pkg.name() + ").", pkg);
      if (!names.add(pkg.name())) {
        throw invalid("debian[" + i + "].name", pkg.name(), "listed once");
      }
    }
    if (lock.compiler() != null) {
      for (String name : lock.compiler().buildPackages()) {
        require("compiler.buildPackages", name, matches(DEBIAN_NAME, name), "a Debian package name");
      }
      Set<String> compilerNames = new HashSet<>();
      for (int i = 0; i < lock.compiler().packages().size(); i++) {
        Lockfile.DebianPackage pkg = lock.compiler().packages().get(i);
        if (pkg == null) {
          throw invalid("compiler.packages[" + i + "]", null, "a package");
        }
        debian("compiler.packages[" + i + "] (" + pkg.name() + ").", pkg);
        if (!compilerNames.add(pkg.name())) {
          throw invalid("compiler.packages[" + i + "].name", pkg.name(), "listed once");
        }
      }
    }
    for (int i = 0; i < lock.wheels().size(); i++) {
      Lockfile.Wheel wheel = lock.wheels().get(i);
      if (wheel == null) {
        throw invalid("wheels[" + i + "]", null, "a wheel");
      }
      String at = "wheels[" + i + "] (" + wheel.name() + ").";
      require(at + "name", wheel.name(), matches(WHEEL_NAME, wheel.name()), "a distribution name");
      require(at + "version", wheel.version(),
          wheel.version() != null && Pep440Version.isValid(wheel.version()), "a PEP 440 version");
      require(at + "file", wheel.file(), matches(WHEEL_FILE, wheel.file())
          && !wheel.file().startsWith("."), "a wheel's file name (NAME-VERSION-TAGS.whl)");
      require(at + "sha256", wheel.sha256(), matches(SHA256, wheel.sha256()),
          "64 lower-case hexadecimal digits");
    }
  }

  private void debian(String at, Lockfile.DebianPackage pkg) throws InvalidInputException {
    require(at + "name", pkg.name(), matches(DEBIAN_NAME, pkg.name()), "a Debian package name");
    require(at + "version", pkg.version(), debianVersion(pkg.version()), "a Debian version");
    require(at + "architecture", pkg.architecture(), matches(ARCHITECTURE, pkg.architecture()),
        "a Debian architecture");
    require(at + "repository", pkg.repository(), repository(pkg.repository()),
        "an http, https or file URL without credentials");
    require(at + "suite", pkg.suite(), matches(SUITE, pkg.suite()), "a Debian suite");
    require(at + "path", pkg.path(), matches(POOL_PATH, pkg.path())
        && List.of(pkg.path().split("/")).stream().noneMatch(p -> p.equals(".") || p.equals("..")),
        "a relative path of the repository's pool (pool/main/...deb), without '..'");
    require(at + "sha256", pkg.sha256(), matches(SHA256, pkg.sha256()),
        "64 lower-case hexadecimal digits");
    require(at + "size", pkg.size(), pkg.size() > 0, "a positive number of bytes");
    require(at + "layer", pkg.layer(), pkg.layer() == null || DebianBase.LAYERS.contains(pkg.layer()),
        "one of " + DebianBase.LAYERS);
    require(at + "multiArch", pkg.multiArch(),
        pkg.multiArch() == null || MULTI_ARCH.contains(pkg.multiArch()), "one of " + MULTI_ARCH);
    word(at + "priority", pkg.priority());
    word(at + "section", pkg.section());
    word(at + "source", pkg.source());
  }

  private void tokens(String field, List<String> values) throws InvalidInputException {
    for (String value : values == null ? List.<String>of() : values) {
      require(field, value, matches(TOKEN, value), "a word of letters, digits and . + / -");
    }
  }

  /** An optional word ({@code null} or empty allowed). */
  private void word(String field, String value) throws InvalidInputException {
    require(field, value, value == null || value.isEmpty() || matches(TOKEN, value),
        "a word of letters, digits and . + / -");
  }

  private static boolean matches(Pattern pattern, String value) {
    return value != null && pattern.matcher(value).matches();
  }

  private static boolean debianVersion(String value) {
    try {
      DebianVersion.parse(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean repository(String value) {
    if (value == null) {
      return false;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return uri.isAbsolute() && uri.getRawUserInfo() == null && uri.getRawQuery() == null
          && (scheme.equals("http") || scheme.equals("https") || scheme.equals("file"));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private void require(String field, Object value, boolean valid, String what)
      throws InvalidInputException {
    if (!valid) {
      throw invalid(field, value, what);
    }
  }

  private InvalidInputException invalid(String field, Object value, String what) {
    return new InvalidInputException(Parameter.LOCK_FILE, "The lockfile " + file + " is not valid: "
        + field + " is " + (value == null ? "missing" : "'" + value + "'") + ", not " + what
        + ". Fix it, or delete it and run mvn bundler:plan to write it again");
  }
}
