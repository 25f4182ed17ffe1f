package dev.bundler;

import dev.bundler.apt.DebianSuites;
import dev.bundler.apt.UpdatePolicy;
import dev.bundler.image.BaseImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the base image's Debian packages come from and which to add.
 *
 * @param suite the Debian suite or codename ({@code bookworm}); its {@code -updates} and {@code
 *     -security} suites are read too; {@code null} for the suite of the request's Python
 *     ({@link dev.bundler.apt.DebianSuites}), which {@link BundleRequest.Builder#build()} fills in
 * @param mirror the mirror URL, or {@code null} to use this machine's APT configuration
 * @param components the archive components ({@code main})
 * @param keyring the keyring the archive must be signed by, over the machine's {@code
 *     Signed-By}; {@code null} for the machine's {@code Signed-By}, else Debian's archive keyring
 * @param allowUnsigned accept the archive without a valid signature (explicit opt-in)
 * @param runtimePackages packages added to the runner's own
 * @param essential install Debian's Essential packages (a shell, coreutils...) as every Debian
 *     system has them
 * @param offline make no network request; everything must be in bundler's cache
 * @param repositories extra repositories, one-line {@code sources.list} form: {@code deb
 *     [signed-by=/path/key.asc] URL SUITE COMPONENT...}
 * @param updatePolicy how often the archive is asked whether its signed indexes changed; in
 *     between, builds use the cached, verified ones without a request
 * @param forceUpdate ask the archive whatever the policy says ({@code mvn -U})
 * @param keepDocumentation keep {@code /usr/share/{doc,man,info,locale}}, which a slim image (the
 *     default) leaves out but for the {@code copyright} files
 */
public record DebianSettings(
    String suite,
    String mirror,
    List<String> components,
    Path keyring,
    boolean allowUnsigned,
    List<String> runtimePackages,
    boolean essential,
    boolean offline,
    List<String> repositories,
    UpdatePolicy updatePolicy,
    boolean forceUpdate,
    boolean keepDocumentation) {

  private static final Pattern PYTHON = Pattern.compile("3\\.\\d{1,2}");

  public DebianSettings {
    components = List.copyOf(components);
    runtimePackages = List.copyOf(runtimePackages);
    repositories = List.copyOf(repositories);
    Objects.requireNonNull(updatePolicy, "updatePolicy");
  }

  /**
   * main of the Python's suite from the machine's mirror, the machine's keyring (or Debian's),
   * with Essential packages, the archive checked daily.
   */
  public static DebianSettings defaults() {
    return new DebianSettings(null, null,
        List.of(Parameter.DEBIAN_COMPONENTS.defaultValue().orElseThrow()), null, false, List.of(),
        true, false, List.of(), UpdatePolicy.DAILY, false, false);
  }

  /**
   * The Python of a build: {@code given}, else the Python of the suite these settings name, else
   * {@link Parameter#PYTHON}'s default.
   */
  String python(String given) throws InvalidInputException {
    String fallback = Parameter.PYTHON.defaultValue().orElseThrow();
    String python = given != null ? given : suite == null ? fallback
        : DebianSuites.pythonOf(suite).orElse(fallback);
    if (!PYTHON.matcher(python).matches()) {
      throw new InvalidInputException(Parameter.PYTHON, "'" + python + "' is not a Python "
          + "version: set " + Parameter.PYTHON + " to MAJOR.MINOR, for example " + fallback);
    }
    return python;
  }

  /**
   * These settings with their suite: the one they name, else the one shipping {@code python}
   * (any, when the base is not Debian's).
   */
  DebianSettings withSuiteFor(String python, BaseImage base) throws InvalidInputException {
    if (suite != null) {
      return this;
    }
    Optional<String> shipping = DebianSuites.suiteOf(python);
    if (shipping.isEmpty() && base instanceof BaseImage.Debian) {
      throw new InvalidInputException(Parameter.PYTHON, "No Debian suite bundler knows ships "
          + "Python " + python + ": set " + Parameter.PYTHON + " to one of "
          + DebianSuites.table() + ", or name the suite that has it with "
          + Parameter.DEBIAN_SUITE);
    }
    return withSuite(shipping.orElse(DebianSuites.DEFAULT));
  }

  /** These settings for {@code value}. */
  public DebianSettings withSuite(String value) {
    return new DebianSettings(value, mirror, components, keyring, allowUnsigned, runtimePackages,
        essential, offline, repositories, updatePolicy, forceUpdate, keepDocumentation);
  }
}
