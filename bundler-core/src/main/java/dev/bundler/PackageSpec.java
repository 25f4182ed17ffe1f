package dev.bundler;

import dev.bundler.python.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application to bundle: a distribution name with an exact version and optional extras
 * ({@code milborne[postgres]==0.4.0}), a name alone ({@code milborne}: the newest version the
 * wheelhouse, find-links or index offer, as pip would take it), or a wheel file whose name says
 * both.
 *
 * @param name the distribution name as the user wrote it
 * @param extras extras to install with it, sorted
 * @param version the exact version, or {@code null} until the newest one is known
 * @param wheel the application's wheel when given as a file, else {@code null}
 */
public record PackageSpec(String name, Set<String> extras, String version, Path wheel) {
  private static final Pattern REQUIREMENT =
      Pattern.compile("\\s*([^\\[=\\s]+)\\s*(?:\\[([^\\]]*)\\])?\\s*(?:==\\s*(\\S+))?\\s*");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9.!+_-]+");

  public PackageSpec {
    Objects.requireNonNull(name, "name");
    extras = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(extras));
  }

  /** Whether the version is known (given, or found). */
  public boolean pinned() {
    return version != null;
  }

  /** This application at {@code value}, found for a spec that named no version. */
  public PackageSpec withVersion(String value) {
    return new PackageSpec(name, extras, Objects.requireNonNull(value, "version"), wheel);
  }

  /**
   * Reads {@link Parameter#PACKAGE} and {@link Parameter#VERSION}: {@code NAME==VERSION}, {@code
   * NAME} with the version given apart, or a path to a {@code .whl} file.
   *
   * @throws InvalidInputException naming {@code package} or {@code version}
   */
  public static PackageSpec parse(String spec, String separateVersion, Path workingDirectory)
      throws InvalidInputException {
    if (spec == null || spec.isBlank()) {
      throw new InvalidInputException(
          Parameter.PACKAGE,
          "No package to bundle: set " + Parameter.PACKAGE + " to NAME==VERSION, for example "
              + Parameter.PACKAGE.withValue("milborne==0.4.0"));
    }
    if (spec.endsWith(".whl")) {
      return fromWheel(workingDirectory.resolve(spec).toAbsolutePath().normalize());
    }
    Matcher matcher = REQUIREMENT.matcher(spec);
    if (!matcher.matches() || !Names.isValid(matcher.group(1))) {
      throw new InvalidInputException(
          Parameter.PACKAGE,
          "'" + spec + "' is not a package requirement: use "
              + Parameter.PACKAGE.withValue("NAME==VERSION") + ", for example "
              + Parameter.PACKAGE.withValue("milborne==0.4.0") + ", or a path to a .whl file");
    }
    String version = matcher.group(3);
    if (version != null && separateVersion != null && !separateVersion.isBlank()
        && !version.equals(separateVersion.trim())) {
      throw new InvalidInputException(
          Parameter.VERSION,
          Parameter.PACKAGE.withValue(spec) + " and " + Parameter.VERSION.withValue(separateVersion)
              + " disagree: give the version once");
    }
    if (version == null) {
      version = separateVersion == null ? null : separateVersion.trim();
    }
    if (version == null || version.isEmpty()) {
      return new PackageSpec(matcher.group(1), extras(matcher.group(2)), null, null);
    }
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidInputException(
          Parameter.VERSION, "'" + version + "' is not a version of " + matcher.group(1));
    }
    return new PackageSpec(matcher.group(1), extras(matcher.group(2)), version, null);
  }

  private static Set<String> extras(String list) throws InvalidInputException {
    Set<String> extras = new TreeSet<>();
    if (list == null) {
      return extras;
    }
    for (String extra : list.split(",")) {
      String trimmed = extra.trim();
      if (!Names.isValid(trimmed)) {
        throw new InvalidInputException(Parameter.PACKAGE,
            "'" + extra + "' is not a valid extra name");
      }
      extras.add(Names.normalize(trimmed));
    }
    return extras;
  }

  private static PackageSpec fromWheel(Path wheel) throws InvalidInputException {
    if (!Files.isRegularFile(wheel)) {
      throw new InvalidInputException(
          Parameter.PACKAGE, "The wheel " + wheel + " does not exist: fix " + Parameter.PACKAGE);
    }
    String[] parts = wheel.getFileName().toString().split("-");
    if (parts.length < 5) {
      throw new InvalidInputException(
          Parameter.PACKAGE,
          "'" + wheel.getFileName() + "' is not a wheel file name "
              + "(NAME-VERSION-PYTHON-ABI-PLATFORM.whl): fix " + Parameter.PACKAGE);
    }
    return new PackageSpec(parts[0], Set.of(), parts[1], wheel);
  }

  /** The PEP 503 normalized name: lower case, runs of {@code -_.} as one {@code -}. */
  public String normalizedName() {
    return Names.normalize(name);
  }

  @Override
  public String toString() {
    String withExtras = extras.isEmpty() ? name : name + "[" + String.join(",", extras) + "]";
    return version == null ? withExtras : withExtras + "==" + version;
  }
}
