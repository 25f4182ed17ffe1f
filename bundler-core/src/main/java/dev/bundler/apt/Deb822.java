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

  /**
   * {@link #forEach(Reader, java.util.Set, java.util.function.Consumer)} over UTF-8 bytes, for a
   * suite's index (some 60,000 paragraphs, 50 MB): lines are scanned as bytes and only the fields
   * named in {@code keep} (lower case) become strings, so the other two thirds of an index are
   * never decoded or copied (they were most of a cold build's garbage). Lines end at {@code \n}
   * (a {@code \r} before it is dropped); blank means spaces and ASCII controls only.
   */
  public static void forEach(java.io.InputStream in, java.util.Set<String> keep,
      java.util.function.Consumer<Deb822> paragraphs) throws IOException {
    byte[][] kept = new byte[keep.size()][];
    String[] keys = new String[keep.size()];
    int k = 0;
    for (String key : keep) {
      keys[k] = key;
      kept[k++] = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    Map<String, String> names = new java.util.HashMap<>();
    Map<String, String> fields = new LinkedHashMap<>();
    String last = null;
    StringBuilder folded = null;
    boolean inField = false;
    byte[] buf = new byte[1 << 16];
    int start = 0;
    int limit = 0;
    boolean eof = false;
    while (true) {
      int newline = -1;
      for (int i = start; i < limit; i++) {
        if (buf[i] == '\n') {
          newline = i;
          break;
        }
      }
      if (newline < 0 && !eof) {
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, limit - start);
          limit -= start;
          start = 0;
        }
        if (limit == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
          eof = true;
        } else {
          limit += n;
        }
        continue;
      }
      if (newline < 0 && start == limit) {
        break;
      }
      int end = newline < 0 ? limit : newline;
      int next = newline < 0 ? limit : newline + 1;
      if (end > start && buf[end - 1] == '\r') {
        end--;
      }
      boolean blank = true;
      for (int i = start; i < end && blank; i++) {
        blank = isAsciiSpace(buf[i]);
      }
      boolean continuation = inField && !blank && (buf[start] == ' ' || buf[start] == '\t');
      if (folded != null && !continuation) {
        fields.put(last, folded.toString());
        folded = null;
      }
      if (blank) {
        if (!fields.isEmpty()) {
          paragraphs.accept(new Deb822(fields, names));
          fields = new LinkedHashMap<>();
        }
        last = null;
        inField = false;
      } else if (buf[start] == '#') {
        // a comment
      } else if (continuation) {
        if (last != null) {
          if (folded == null) {
            folded = new StringBuilder(fields.get(last));
          }
          folded.append('\n').append(utf8(buf, start + 1, end));
        }
      } else {
        int colon = -1;
        for (int i = start; i < end; i++) {
          if (buf[i] == ':') {
            colon = i;
            break;
          }
        }
        if (colon <= start) {
          throw new IOException("malformed control line: " + utf8(buf, start, end));
        }
        inField = true;
        String key = null;
        for (int j = 0; j < kept.length && key == null; j++) {
          if (equalsIgnoreAsciiCase(kept[j], buf, start, colon)) {
            key = keys[j];
          }
        }
        last = key;
        if (key != null) {
          int from = colon + 1;
          int to = end;
          while (from < to && isAsciiSpace(buf[from])) {
            from++;
          }
          while (to > from && isAsciiSpace(buf[to - 1])) {
            to--;
          }
          fields.put(key, utf8(buf, from, to));
          if (!names.containsKey(key)) {
            names.put(key, utf8(buf, start, colon));
          }
        }
      }
      start = next;
    }
    if (folded != null) {
      fields.put(last, folded.toString());
    }
    if (!fields.isEmpty()) {
      paragraphs.accept(new Deb822(fields, names));
    }
  }

  /** What {@link String#isBlank} and {@link String#strip} take for white space, in ASCII. */
  private static boolean isAsciiSpace(byte b) {
    return b == ' ' || (b >= 9 && b <= 13) || (b >= 28 && b <= 31);
  }

  private static boolean equalsIgnoreAsciiCase(byte[] lower, byte[] buf, int from, int to) {
    if (to - from != lower.length) {
      return false;
    }
    for (int i = 0; i < lower.length; i++) {
      byte b = buf[from + i];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lower[i]) {
        return false;
      }
    }
    return true;
  }

  private static String utf8(byte[] buf, int from, int to) {
    return new String(buf, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
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
