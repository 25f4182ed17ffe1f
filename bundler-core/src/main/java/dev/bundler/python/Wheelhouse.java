package dev.bundler.python;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A directory of wheels and the choice, from it, of what {@code pip install --no-index
 * --find-links DIR NAME==VERSION} would install: the application's wheel and, transitively, the
 * best wheel satisfying each requirement whose marker holds on the target.
 */
public final class Wheelhouse {
  private static final Parameter PARAMETER = Parameter.WHEELHOUSE;

  private final Path directory;
  private final PythonTarget target;
  private final Map<String, List<Path>> byName;
  private final Map<String, List<Pep440Version>> unbuilt;
  private final Opener opener;

  /** Opens a wheel to choose it: {@link Wheel#openForChoice}, or from what was read before. */
  public interface Opener {
    Wheel open(Path file, PythonTarget target, Parameter parameter)
        throws InvalidInputException, IOException;
  }

  private Wheelhouse(Path directory, PythonTarget target, Map<String, List<Path>> byName,
      Map<String, List<Pep440Version>> unbuilt, Opener opener) {
    this.directory = directory;
    this.target = target;
    this.byName = byName;
    this.unbuilt = unbuilt;
    this.opener = opener;
  }

  /** This wheelhouse, opening the wheels it considers with {@code opener}. */
  public Wheelhouse openingWith(Opener opener) {
    return new Wheelhouse(directory, target, byName, unbuilt, opener);
  }

  /**
   * Thrown by {@link #select} when pip would build a source distribution rather than use a
   * wheel of this wheelhouse: then only pip can tell what to install.
   */
  public static final class NeedsBuild extends Exception {
    private static final long serialVersionUID = 1L;

    NeedsBuild(String what) {
      super(what);
    }
  }

  /**
   * This wheelhouse, knowing that source distributions of {@code versions} (by normalized name)
   * are also offered, and not built: {@link #select} stops with {@link NeedsBuild} where pip
   * would prefer one of them to every wheel here.
   */
  public Wheelhouse withUnbuilt(Map<String, List<Pep440Version>> versions) {
    return new Wheelhouse(directory, target, byName, Map.copyOf(versions), opener);
  }

  /** Lists the wheels of {@code directory} (none if it is {@code null}). */
  public static Wheelhouse scan(Path directory, PythonTarget target) throws InvalidInputException, IOException {
    Map<String, List<Path>> byName = new TreeMap<>();
    for (Path file : wheelFiles(directory, PARAMETER)) {
      WheelFilename name;
      try {
        name = WheelFilename.parse(file.getFileName().toString());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(PARAMETER, "The wheelhouse " + directory + " holds "
            + file.getFileName() + ", which is not a valid wheel name: " + e.getMessage(), e);
      }
      byName.computeIfAbsent(name.normalizedName(), n -> new ArrayList<>()).add(file);
    }
    return new Wheelhouse(directory, target, byName, Map.of(), Wheel::openForChoice);
  }

  /**
   * The {@code *.whl} files of {@code directory} (none if it is {@code null}), sorted.
   *
   * @throws InvalidInputException naming {@code parameter} if one of them is a directory or
   *     anything else that is not a regular file (a link to one is followed)
   */
  public static List<Path> wheelFiles(Path directory, Parameter parameter)
      throws InvalidInputException, IOException {
    List<Path> wheels = new ArrayList<>();
    if (directory == null) {
      return wheels;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.whl")) {
      for (Path file : files) {
        if (!Files.isRegularFile(file)) {
          throw new InvalidInputException(parameter, "The wheelhouse " + directory + " holds "
              + file.getFileName() + ", which is " + (Files.isDirectory(file) ? "a directory"
                  : Files.isSymbolicLink(file) ? "a dangling link" : "not a regular file")
              + ", not a wheel file: remove or rename it");
        }
        wheels.add(file);
      }
    }
    wheels.sort(Comparator.comparing(Path::toString));
    return wheels;
  }

  /**
   * Opens the wheels to install for the application {@code name==version} (the newest version
   * here when {@code version} is {@code null}, as pip picks it) with {@code extras}, application
   * first. {@code applicationWheel}, when given, is used instead of searching.
   * The caller closes the returned wheels.
   *
   * @throws InvalidInputException if a wheel is missing, incompatible or broken
   */
  public List<Wheel> select(String name, String version, Set<String> extras, Path applicationWheel)
      throws InvalidInputException, IOException {
    try {
      return selectOrBuild(name, version, extras, applicationWheel);
    } catch (NeedsBuild e) {
      throw new IllegalStateException("no unbuilt sources were given", e);
    }
  }

  /**
   * As {@link #select}, for a wheelhouse made {@link #withUnbuilt}: stops when pip would build
   * one of those sources.
   */
  public List<Wheel> selectOrBuild(String name, String version, Set<String> extras,
      Path applicationWheel) throws InvalidInputException, IOException, NeedsBuild {
    MarkerEnvironment environment = MarkerEnvironment.linux(target);
    Map<String, Wheel> chosen = new LinkedHashMap<>();
    Map<String, Set<String>> extrasOf = new TreeMap<>();
    Deque<String> pending = new ArrayDeque<>();
    boolean done = false;
    try {
      Wheel root = applicationWheel != null
          ? opener.open(applicationWheel, target, Parameter.PACKAGE)
          : open(new Requirement(name, Set.of(),
              VersionSpecifier.parse(version == null ? "" : "==" + version), null,
              Marker.ALWAYS), null);
      String rootName = Names.normalize(root.name());
      chosen.put(rootName, root);
      extrasOf.put(rootName, new TreeSet<>(extras));
      pending.add(rootName);
      while (!pending.isEmpty()) {
        String current = pending.removeFirst();
        Wheel wheel = chosen.get(current);
        checkRequiresPython(wheel);
        for (Requirement requirement : wheel.requirements()) {
          if (!requirement.marker().evaluate(environment, extrasOf.get(current))) {
            continue;
          }
          String dependency = requirement.normalizedName();
          Wheel existing = chosen.get(dependency);
          if (existing == null) {
            chosen.put(dependency, open(requirement, wheel));
            extrasOf.put(dependency, new TreeSet<>(requirement.extras()));
            pending.add(dependency);
          } else {
            if (!requirement.specifier().contains(existing.version(), true)) {
              throw conflict(requirement, wheel, existing);
            }
            if (extrasOf.get(dependency).addAll(requirement.extras())) {
              pending.add(dependency);
            }
          }
        }
      }
      done = true;
      return new ArrayList<>(chosen.values());
    } finally {
      if (!done) {
        for (Wheel wheel : chosen.values()) {
          wheel.close();
        }
      }
    }
  }

  /** The best compatible wheel satisfying {@code requirement}, as pip would pick it. */
  private Wheel open(Requirement requirement, Wheel neededBy)
      throws InvalidInputException, IOException, NeedsBuild {
    List<Path> candidates = byName.getOrDefault(requirement.normalizedName(), List.of());
    List<Path> matching = new ArrayList<>();
    List<String> incompatible = new ArrayList<>();
    for (Path file : candidates) {
      WheelFilename name = WheelFilename.parse(file.getFileName().toString());
      if (!requirement.specifier().contains(name.version(), true)) {
        continue;
      }
      if (name.isCompatible(target)) {
        matching.add(file);
      } else {
        incompatible.add(file.getFileName().toString());
      }
    }
    if (matching.isEmpty()) {
      requireNoBetterSource(requirement, null, true);
    }
    if (matching.isEmpty() && !incompatible.isEmpty()) {
      // Opening reports why the best-matching wheel cannot run here.
      return opener.open(directory.resolve(incompatible.get(0)), target, PARAMETER);
    }
    // As pip: pre-releases only if the specifier names one, or if nothing else matches.
    List<Path> pool = matching.stream()
        .filter(f -> requirement.specifier().contains(WheelFilename.parse(f.getFileName().toString()).version()))
        .toList();
    boolean prereleases = pool.isEmpty();
    if (prereleases) {
      pool = matching;
    }
    Path best = pool.stream().max(Comparator
        .comparing((Path f) -> WheelFilename.parse(f.getFileName().toString()).version())
        .thenComparing(f -> -WheelFilename.parse(f.getFileName().toString()).rank(target)))
        .orElse(null);
    requireNoBetterSource(requirement, best, prereleases);
    if (best == null) {
      throw missing(requirement, neededBy);
    }
    return opener.open(best, target, PARAMETER);
  }

  /**
   * Stops when an unbuilt source satisfies {@code requirement} with a version above {@code best}'s
   * (under the same pre-release rule), or when there is no wheel and a source would do.
   */
  private void requireNoBetterSource(Requirement requirement, Path best, boolean prereleases)
      throws NeedsBuild {
    Pep440Version chosen = best == null ? null
        : WheelFilename.parse(best.getFileName().toString()).version();
    for (Pep440Version source : unbuilt.getOrDefault(requirement.normalizedName(), List.of())) {
      if (!requirement.specifier().contains(source, true)) {
        continue;
      }
      boolean finalRelease = requirement.specifier().contains(source);
      boolean preferred = chosen == null
          || (prereleases ? finalRelease || source.compareTo(chosen) > 0
              : finalRelease && source.compareTo(chosen) > 0);
      if (preferred) {
        throw new NeedsBuild(requirement.name() + " " + source + " is a source distribution "
            + "not built yet");
      }
    }
  }

  private void checkRequiresPython(Wheel wheel) throws InvalidInputException {
    VersionSpecifier requiresPython = wheel.requiresPython();
    if (!requiresPython.contains(Pep440Version.parse(target.fullVersion()), true)) {
      throw new InvalidInputException(wheel.parameter(), wheel.file().getFileName() + " requires "
          + "Python " + requiresPython + " but the image runs Python " + target.fullVersion()
          + ": set " + Parameter.PYTHON + " or use a version of " + wheel.name() + " that "
          + "supports it");
    }
  }

  private InvalidInputException missing(Requirement requirement, Wheel neededBy) {
    List<String> present = new ArrayList<>();
    for (Path file : byName.getOrDefault(requirement.normalizedName(), List.of())) {
      present.add(file.getFileName().toString());
    }
    String who = neededBy == null ? "the package to bundle (" + Parameter.PACKAGE.named() + ")"
        : neededBy.name() + " " + neededBy.version();
    return new InvalidInputException(neededBy == null ? Parameter.PACKAGE : PARAMETER,
        "The wheelhouse " + directory + " has no wheel of " + requirement.name()
            + (requirement.specifier().isEmpty() ? "" : " matching " + requirement.specifier())
            + ", required by " + who
            + (present.isEmpty() ? "" : " (it has " + String.join(", ", present) + ")")
            + ": add it to the wheelhouse (pip wheel --wheel-dir " + directory + " '"
            + requirement + "')");
  }

  private static InvalidInputException conflict(Requirement requirement, Wheel wheel, Wheel existing) {
    return new InvalidInputException(PARAMETER, wheel.name() + " " + wheel.version() + " requires "
        + requirement + " but the wheelhouse provides " + existing.name() + " "
        + existing.version() + ": put a matching version in the wheelhouse");
  }
}
