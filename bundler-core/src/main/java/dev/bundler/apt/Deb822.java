package dev.bundler.apt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Debian control-file paragraphs ({@code Packages}, {@code Release}, {@code .sources}, {@code
 * control}): fields in order, continuation lines folded in with their newlines, comments and
 * PGP armour outside the paragraphs ignored by the caller.
 */
public final class Deb822 {
  /** The field names code asks for, lower-cased once (an index asks 17 of each paragraph). */
  private static final Map<String, String> LOWER_CASE =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> fields;
  private final Map<String, String> names;

  private Deb822(Map<String, String> fields, Map<String, String> names) {
    this.fields = fields;
    this.names = names;
  }

  /** A paragraph of the given fields, in order. */
  public static Deb822 of(Map<String, String> values) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    values.forEach((name, value) -> {
      if (value != null) {
        fields.put(name.toLowerCase(Locale.ROOT), value);
        names.put(name.toLowerCase(Locale.ROOT), name);
      }
    });
    return new Deb822(fields, names);
  }

  /** Parses every paragraph of {@code text}. */
  public static List<Deb822> parseAll(String text) {
    try {
      return parseAll(new java.io.StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses every paragraph from {@code reader}. */
  public static List<Deb822> parseAll(Reader reader) throws IOException {
    List<Deb822> paragraphs = new ArrayList<>();
    forEach(reader, paragraphs::add);
    return paragraphs;
  }

  /** Hands each paragraph of {@code reader} to {@code consumer} as soon as it is read. */
  public static void forEach(Reader reader, java.util.function.Consumer<Deb822> paragraphs)
      throws IOException {
    forEach(reader, null, paragraphs);
  }

  /**
   * Hands each paragraph of {@code reader} to {@code consumer}, holding only the fields named in
   * {@code keep} (lower case; {@code null} keeps all). A suite's index is some 60,000 paragraphs
   * of which a reader of packages needs a third of the fields: the others are never copied out.
   */
  public static void forEach(Reader reader, java.util.Set<String> keep,
      java.util.function.Consumer<Deb822> paragraphs) throws IOException {
    BufferedReader lines = new BufferedReader(reader, 1 << 16);
    Map<String, String> lowerCase = new java.util.HashMap<>();
    // The names as written, shared by the paragraphs of one file (the first spelling of a name
    // is every paragraph's): two maps per paragraph were a fifth of an index's garbage.
    Map<String, String> names = new java.util.HashMap<>();
    Map<String, String> fields = new LinkedHashMap<>();
    String last = null;
    StringBuilder folded = null;
    boolean inField = false;
    for (String line; (line = lines.readLine()) != null; ) {
      boolean continuation =
          inField && !line.isBlank() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
      if (folded != null && !continuation) {
        fields.put(last, folded.toString());
        folded = null;
      }
      if (line.isBlank()) {
        if (!fields.isEmpty()) {
          paragraphs.accept(new Deb822(fields, names));
          fields = new LinkedHashMap<>();
        }
        last = null;
        inField = false;
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (continuation) {
        if (last != null) {
          if (folded == null) {
            folded = new StringBuilder(fields.get(last));
          }
          folded.append('\n').append(line, 1, line.length());
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed control line: " + line);
      }
      String name = line.substring(0, colon);
      String key = lowerCase.computeIfAbsent(name, written -> written.toLowerCase(Locale.ROOT));
      inField = true;
      if (keep != null && !keep.contains(key)) {
        last = null;
        continue;
      }
      last = key;
      fields.put(key, line.substring(colon + 1).strip());
      names.putIfAbsent(key, name);
    }
    if (folded != null) {
      fields.put(last, folded.toString());
    }
    if (!fields.isEmpty()) {
      paragraphs.accept(new Deb822(fields, names));
    }
  }

  /** A field's value (case-insensitive name), or {@code null}. */
  public String get(String name) {
    String key = LOWER_CASE.get(name);
    if (key == null) {
      key = name.toLowerCase(Locale.ROOT);
      if (LOWER_CASE.size() < 256) {
        LOWER_CASE.put(name, key);
      }
    }
    return fields.get(key);
  }

  public String get(String name, String fallback) {
    String value = get(name);
    return value == null ? fallback : value;
  }

  /** Field names as written, in order, with their values. */
  public Map<String, String> fields() {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((key, value) -> out.put(names.get(key), value));
    return Collections.unmodifiableMap(out);
  }

  /** The paragraph as control-file text, fields in their original order. */
  public String format() {
    StringBuilder out = new StringBuilder();
    fields().forEach((name, value) -> appendField(out, name, value));
    return out.toString();
  }

  /** Appends one field, continuation lines indented, as control files write them. */
  static void appendField(StringBuilder out, String name, String value) {
    out.append(name).append(':');
    String[] lines = value.split("\n", -1);
    if (!lines[0].isEmpty()) {
      out.append(' ').append(lines[0]);
    }
    out.append('\n');
    for (int i = 1; i < lines.length; i++) {
      out.append(' ').append(lines[i]).append('\n');
    }
  }
}
