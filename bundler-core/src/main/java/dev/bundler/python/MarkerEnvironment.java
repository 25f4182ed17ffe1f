package dev.bundler.python;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The values PEP 508 environment markers are evaluated against: those the target interpreter
 * would report ({@code python_version}, {@code sys_platform}...).
 */
public record MarkerEnvironment(Map<String, String> values) {

  public MarkerEnvironment {
    values = Map.copyOf(values);
  }

  /** What CPython of {@code target} reports on Linux. */
  public static MarkerEnvironment linux(PythonTarget target) {
    Map<String, String> values = new TreeMap<>();
    values.put("os_name", "posix");
    values.put("sys_platform", "linux");
    values.put("platform_system", "Linux");
    values.put("platform_machine", target.machine());
    values.put("platform_python_implementation", "CPython");
    values.put("implementation_name", "cpython");
    values.put("implementation_version", target.fullVersion());
    values.put("python_version", target.version());
    values.put("python_full_version", target.fullVersion());
    values.put("platform_release", "");
    values.put("platform_version", "");
    return new MarkerEnvironment(values);
  }

  /**
   * The value of a marker variable.
   *
   * @throws IllegalArgumentException for a name PEP 508 does not define
   */
  public String get(String name) {
    String value = values.get(Objects.requireNonNull(name));
    if (value == null) {
      throw new IllegalArgumentException("unknown marker variable " + name);
    }
    return value;
  }
}
