package dev.bundler.maven;

import java.util.ArrayList;
import java.util.List;

/** Parameter values as Maven injects them, made into what the core's settings take. */
final class Values {
  private Values() {}

  /** {@code null} for nothing or blanks, else the value stripped. */
  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A list parameter, whose elements may themselves be comma-separated (from {@code -D}). */
  static List<String> list(List<String> values) {
    return values == null ? List.of() : split(String.join(",", values));
  }

  /** The words of {@code value}, separated by commas or white space. */
  static List<String> split(String value) {
    List<String> parts = new ArrayList<>();
    for (String part : value.split("[,\\s]+")) {
      if (!part.isBlank()) {
        parts.add(part.strip());
      }
    }
    return parts;
  }
}
