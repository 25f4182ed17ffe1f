package dev.bundler.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interpreter wheels must run on: CPython {@code MAJOR.MINOR} on Linux, a CPU architecture and
 * a glibc version (bookworm's is 2.36).
 *
 * @param version {@code MAJOR.MINOR}
 * @param fullVersion {@code MAJOR.MINOR.PATCH} when known, else {@code MAJOR.MINOR.0}
 * @param machine the kernel's machine name: {@code x86_64} or {@code aarch64}
 * @param glibc the glibc version, {@code 2.MINOR}
 */
public record PythonTarget(String version, String fullVersion, String machine, String glibc) {
  private static final Pattern VERSION = Pattern.compile("3\\.(\\d{1,2})");
  private static final Pattern GLIBC = Pattern.compile("2\\.(\\d{1,2})");

  public PythonTarget {
    Objects.requireNonNull(version, "version");
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("'" + version + "' is not a Python 3 MAJOR.MINOR version");
    }
    if (fullVersion == null || fullVersion.isBlank()) {
      fullVersion = version + ".0";
    }
    if (!fullVersion.startsWith(version + ".")) {
      throw new IllegalArgumentException(fullVersion + " is not a " + version + " version");
    }
    machine = machine(machine);
    if (glibc == null || !GLIBC.matcher(glibc).matches()) {
      throw new IllegalArgumentException("'" + glibc + "' is not a glibc 2.x version");
    }
  }

  /** CPython {@code version} on Debian bookworm for Debian architecture {@code architecture}. */
  public static PythonTarget bookworm(String version, String architecture) {
    return new PythonTarget(version, null, architecture, "2.36");
  }

  private static String machine(String architecture) {
    return switch (Objects.requireNonNull(architecture, "architecture")) {
      case "amd64", "x86_64" -> "x86_64";
      case "arm64", "aarch64" -> "aarch64";
      default -> throw new IllegalArgumentException(
          "'" + architecture + "' is not a supported architecture (amd64 or arm64)");
    };
  }

  public int minor() {
    Matcher m = VERSION.matcher(version);
    m.matches();
    return Integer.parseInt(m.group(1));
  }

  /** {@code cp311}. */
  public String interpreter() {
    return "cp3" + minor();
  }

  /** Every platform tag a wheel may carry to run here, most specific first. */
  public List<String> platforms() {
    List<String> platforms = new ArrayList<>();
    Matcher m = GLIBC.matcher(glibc);
    m.matches();
    int glibcMinor = Integer.parseInt(m.group(1));
    int oldest = machine.equals("x86_64") ? 5 : 17;
    for (int minor = glibcMinor; minor >= oldest; minor--) {
      platforms.add("manylinux_2_" + minor + "_" + machine);
      if (minor == 17) {
        platforms.add("manylinux2014_" + machine);
      } else if (minor == 12 && machine.equals("x86_64")) {
        platforms.add("manylinux2010_" + machine);
      } else if (minor == 5 && machine.equals("x86_64")) {
        platforms.add("manylinux1_" + machine);
      }
    }
    platforms.add("linux_" + machine);
    return platforms;
  }

  /** Every tag a compatible wheel may carry, in pip's order of preference (best first). */
  public List<WheelTag> supportedTags() {
    List<WheelTag> tags = new ArrayList<>();
    String cp = interpreter();
    List<String> platforms = platforms();
    for (String abi : List.of(cp, "abi3", "none")) {
      for (String platform : platforms) {
        tags.add(new WheelTag(cp, abi, platform));
      }
    }
    for (int minor = minor() - 1; minor >= 2; minor--) {
      for (String platform : platforms) {
        tags.add(new WheelTag("cp3" + minor, "abi3", platform));
      }
    }
    List<String> pythons = new ArrayList<>();
    pythons.add("py3" + minor());
    pythons.add("py3");
    for (int minor = minor() - 1; minor >= 0; minor--) {
      pythons.add("py3" + minor);
    }
    for (String python : pythons) {
      for (String platform : platforms) {
        tags.add(new WheelTag(python, "none", platform));
      }
    }
    tags.add(new WheelTag(cp, "none", "any"));
    for (String python : pythons) {
      tags.add(new WheelTag(python, "none", "any"));
    }
    return List.copyOf(tags);
  }

  @Override
  public String toString() {
    return "CPython " + version + " on linux/" + machine + " (glibc " + glibc + ")";
  }
}
