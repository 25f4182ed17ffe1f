package dev.bundler.python;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a wheel's file name says (PEP 427): {@code NAME-VERSION[-BUILD]-PYTHON-ABI-PLATFORM.whl},
 * where each of the last three may be a {@code .}-separated set.
 *
 * @param name the distribution name as written
 * @param version its version
 * @param build the build tag, or {@code null}
 * @param tags every tag the compressed tag sets expand to
 */
public record WheelFilename(String name, Pep440Version version, String build, Set<WheelTag> tags) {

  public WheelFilename {
    tags = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tags));
  }

  /**
   * Parses a file name (a path's last component).
   *
   * @throws IllegalArgumentException if it is not a wheel file name
   */
  public static WheelFilename parse(String fileName) {
    if (!fileName.endsWith(".whl")) {
      throw new IllegalArgumentException("'" + fileName + "' does not end in .whl");
    }
    String[] parts = fileName.substring(0, fileName.length() - 4).split("-");
    if (parts.length != 5 && parts.length != 6) {
      throw new IllegalArgumentException(
          "'" + fileName + "' is not NAME-VERSION[-BUILD]-PYTHON-ABI-PLATFORM.whl");
    }
    if (!Names.isValid(parts[0])) {
      throw new IllegalArgumentException("'" + parts[0] + "' in " + fileName + " is not a name");
    }
    Pep440Version version;
    try {
      version = Pep440Version.parse(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + fileName + "' has an invalid version: " + parts[1], e);
    }
    String build = parts.length == 6 ? parts[2] : null;
    if (build != null && !build.matches("[0-9][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException("'" + fileName + "' has an invalid build tag " + build);
    }
    int t = parts.length - 3;
    Set<WheelTag> tags = new LinkedHashSet<>();
    for (String python : parts[t].split("\\.")) {
      for (String abi : parts[t + 1].split("\\.")) {
        for (String platform : parts[t + 2].split("\\.")) {
          tags.add(new WheelTag(python, abi, platform));
        }
      }
    }
    return new WheelFilename(parts[0], version, build, tags);
  }

  public String normalizedName() {
    return Names.normalize(name);
  }

  /** Whether any of the tags runs on {@code target}. */
  public boolean isCompatible(PythonTarget target) {
    return rank(target) >= 0;
  }

  /** Position of the best tag in {@code target}'s preference order (lower is better), or -1. */
  public int rank(PythonTarget target) {
    List<WheelTag> supported = target.supportedTags();
    int best = -1;
    for (WheelTag tag : tags) {
      int index = supported.indexOf(tag);
      if (index >= 0 && (best < 0 || index < best)) {
        best = index;
      }
    }
    return best;
  }

  /** The tags, as text, for messages. */
  public List<String> tagNames() {
    List<String> names = new ArrayList<>();
    tags.forEach(tag -> names.add(tag.toString()));
    return names;
  }
}
