package dev.bundler.python;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A wheel's {@code RECORD}: one {@code path,hash,size} line per file, hashes as {@code
 * sha256=<urlsafe base64 without padding>}. Paths with commas are quoted, CSV style.
 */
final class WheelRecord {
  private WheelRecord() {}

  /** One line: the hash ({@code algorithm=value}) and size may be empty. */
  record Row(String path, String hash, String size) {}

  /** Parses RECORD text into rows by path; throws IllegalArgumentException on a malformed line. */
  static Map<String, Row> parse(String text) {
    Map<String, Row> rows = new TreeMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = csv(line);
      if (fields.size() != 3) {
        throw new IllegalArgumentException("malformed RECORD line '" + line + "'");
      }
      if (rows.put(fields.get(0), new Row(fields.get(0), fields.get(1), fields.get(2))) != null) {
        throw new IllegalArgumentException("RECORD lists " + fields.get(0) + " twice");
      }
    }
    return rows;
  }

  /** The RECORD hash form of a SHA-256 digest. */
  static String hash(byte[] sha256) {
    return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
  }

  /** Writes rows sorted by path, as pip does. */
  static String format(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort((a, b) -> a.path().compareTo(b.path()));
    StringBuilder out = new StringBuilder();
    for (Row row : sorted) {
      out.append(quote(row.path())).append(',').append(row.hash()).append(',').append(row.size())
          .append('\n');
    }
    return out.toString();
  }

  private static String quote(String field) {
    if (field.contains(",") || field.contains("\"")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }

  private static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
