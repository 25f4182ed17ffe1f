package dev.bundler.apt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Debian suite ships which Python, for the suites bundler is tested with: a Python version
 * picks its suite unless one is named, and a named suite its Python unless one is given.
 */
public final class DebianSuites {
  private static final Map<String, String> PYTHON_OF_SUITE = new LinkedHashMap<>();

  static {
    PYTHON_OF_SUITE.put("bullseye", "3.9");
    PYTHON_OF_SUITE.put("bookworm", "3.11");
    PYTHON_OF_SUITE.put("trixie", "3.13");
  }

  /** The suite used when neither a Python nor a suite is given. */
  public static final String DEFAULT = "bookworm";

  private DebianSuites() {}

  /** The suite whose Python is {@code python} ({@code 3.13}: trixie). */
  public static Optional<String> suiteOf(String python) {
    return PYTHON_OF_SUITE.entrySet().stream().filter(e -> e.getValue().equals(python))
        .map(Map.Entry::getKey).findFirst();
  }

  /** The Python of {@code suite} ({@code bullseye}: 3.9). */
  public static Optional<String> pythonOf(String suite) {
    return Optional.ofNullable(PYTHON_OF_SUITE.get(suite));
  }

  /** {@code 3.9 (bullseye), 3.11 (bookworm), 3.13 (trixie)}, for messages. */
  public static String table() {
    return String.join(", ", PYTHON_OF_SUITE.entrySet().stream()
        .map(e -> e.getValue() + " (" + e.getKey() + ")").toList());
  }
}
