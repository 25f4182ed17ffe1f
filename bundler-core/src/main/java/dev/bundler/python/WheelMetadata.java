package dev.bundler.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The email-header style files of a {@code .dist-info} directory ({@code METADATA}, {@code WHEEL}):
 * fields in order, repeated fields kept, the body (a long description) ignored.
 */
final class WheelMetadata {
  private final Map<String, List<String>> fields;

  private WheelMetadata(Map<String, List<String>> fields) {
    this.fields = fields;
  }

  static WheelMetadata parse(String text) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String lastName = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && lastName != null) {
        List<String> values = fields.get(lastName);
        values.set(values.size() - 1, values.get(values.size() - 1) + "\n" + line.strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      lastName = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
      fields.computeIfAbsent(lastName, n -> new ArrayList<>()).add(line.substring(colon + 1).trim());
    }
    return new WheelMetadata(fields);
  }

  /** The first value of a field, or {@code null}. */
  String get(String name) {
    List<String> values = fields.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  List<String> getAll(String name) {
    return fields.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
  }
}
