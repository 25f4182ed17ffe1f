package dev.bundler.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripts a wheel's {@code entry_points.txt} declares ({@code console_scripts} and {@code
 * gui_scripts}), checked as pip checks them before writing launchers, and a little more strictly.
 *
 * <p>A script is {@code name = module:attr [extras]}: the value is an object reference whose
 * dotted parts are Python identifiers, with exactly one colon (pip refuses a script without a
 * callable, and distlib a reference with two colons). The name is the launcher's file name in
 * the virtualenv's {@code bin}: pip refuses a name that would land outside that directory; bundler
 * refuses any name that is not a plain file name (a {@code /}, {@code .} or {@code ..}, white
 * space or a control character), since such a name is no command in a shell either.
 */
final class EntryPoints {
  private static final Set<String> SCRIPT_SECTIONS = Set.of("console_scripts", "gui_scripts");
  private static final String IDENTIFIER = "[\\p{L}\\p{Nl}_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]*";
  private static final Pattern REFERENCE = Pattern.compile("(" + IDENTIFIER + "(?:\\." + IDENTIFIER
      + ")*)\\s*:\\s*(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*)"
      + "(?:\\s*\\[\\s*[A-Za-z0-9._-]+(?:\\s*,\\s*[A-Za-z0-9._-]+)*\\s*\\])?");
  /** Python's keywords: a reference using one would make a launcher that cannot be compiled. */
  private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as",
      "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
      "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
      "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield");

  private EntryPoints() {}

  /**
   * A launcher to write.
   *
   * @param name its file name in the virtualenv's {@code bin}
   * @param module the module to import ({@code pkg.cli})
   * @param attribute the callable in it ({@code main}, or {@code Cli.run})
   */
  record Script(String name, String module, String attribute) {}

  /**
   * The scripts of {@code text} (an {@code entry_points.txt}), in file order, a later
   * declaration of a name replacing an earlier one.
   *
   * @throws IllegalArgumentException saying which line is wrong and why
   */
  static List<Script> scripts(String text) {
    Map<String, Script> scripts = new LinkedHashMap<>();
    String section = null;
    int number = 0;
    for (String raw : text.split("\r?\n", -1)) {
      number++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      if (!SCRIPT_SECTIONS.contains(section)) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("line " + number + " of [" + section + "] ('" + line
            + "') is not 'name = module:function'");
      }
      String name = line.substring(0, equals).strip();
      String value = line.substring(equals + 1).strip();
      checkName(name, section);
      scripts.put(name, script(name, value, section));
    }
    return new ArrayList<>(scripts.values());
  }

  private static void checkName(String name, String section) {
    String why = name.isEmpty() ? "is empty"
        : name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
            ? "is not a plain file name, so its launcher would not be written in the "
                + "virtualenv's bin directory (pip refuses names that leave it)"
        : name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
            ? "contains white space or a control character"
        : name.startsWith("[") ? "starts with '['" : null;
    if (why != null) {
      throw new IllegalArgumentException("the " + section + " name '" + printable(name) + "' "
          + why);
    }
  }

  private static Script script(String name, String value, String section) {
    Matcher m = REFERENCE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("the " + section + " entry '" + printable(name)
          + "' points at '" + printable(value) + "', which is not 'module:function' (dotted "
          + "Python identifiers, one colon, as pip requires for scripts)");
    }
    String module = m.group(1);
    String attribute = m.group(2);
    for (String part : (module + "." + attribute).split("\\.")) {
      if (KEYWORDS.contains(part)) {
        throw new IllegalArgumentException("the " + section + " entry '" + printable(name)
            + "' points at '" + value + "', which uses the Python keyword '" + part + "'");
      }
    }
    return new Script(name, module, attribute);
  }

  /**
   * {@code text} with control characters shown as Java escapes ({@code \\u} and four hex
   * digits), for messages.
   */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
