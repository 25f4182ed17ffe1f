package dev.bundler.maven;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Map parameters ({@code <environment>}, {@code <labels>}) as a pom gives them, with the entries
 * of a {@code -Dbundler.xxx=KEY=VALUE,KEY=VALUE} property added: Maven cannot turn a property into
 * a map, so jib's plugin reads such properties itself, and so does bundler.
 */
final class PropertyMaps {
  private PropertyMaps() {}

  /**
   * The pom's {@code map} with the entries of {@code text}, the value of {@code parameter}'s
   * property (or {@code null}), added and winning.
   *
   * @throws InvalidInputException naming the parameter when an entry is not {@code KEY=VALUE}
   */
  static Map<String, String> merge(Map<String, String> pom, Parameter parameter, String text)
      throws InvalidInputException {
    String property = parameter.property();
    Map<String, String> merged = new LinkedHashMap<>();
    if (pom != null) {
      pom.forEach((key, value) -> merged.put(key, value == null ? "" : value));
    }
    if (text == null || text.isBlank()) {
      return merged;
    }
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new InvalidInputException(parameter, "'" + entry.strip() + "' in -D" + property
            + " is not KEY=VALUE: write -D" + property + "=KEY=VALUE,KEY=VALUE");
      }
      merged.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
    }
    return merged;
  }
}
