package dev.bundler.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser of the PEP 508 marker grammar. */
final class MarkerParser {
  private static final Set<String> VARIABLES =
      Set.of(
          "python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
          "platform_system", "platform_version", "platform_machine",
          "platform_python_implementation", "implementation_name", "implementation_version",
          "extra", "os.name", "sys.platform", "platform.version", "platform.machine",
          "platform.python_implementation", "python_implementation");
  private static final List<String> OPERATORS =
      List.of("===", "==", "!=", "<=", ">=", "~=", "<", ">");

  private final String text;
  private int at;

  MarkerParser(String text) {
    this.text = text;
  }

  Marker parse() {
    Marker marker = or();
    skipSpaces();
    if (at != text.length()) {
      throw error("unexpected text");
    }
    return marker;
  }

  private Marker or() {
    List<Marker> parts = new ArrayList<>();
    parts.add(and());
    while (keyword("or")) {
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Marker.Junction(false, parts);
  }

  private Marker and() {
    List<Marker> parts = new ArrayList<>();
    parts.add(expression());
    while (keyword("and")) {
      parts.add(expression());
    }
    return parts.size() == 1 ? parts.get(0) : new Marker.Junction(true, parts);
  }

  private Marker expression() {
    skipSpaces();
    if (at < text.length() && text.charAt(at) == '(') {
      at++;
      Marker inner = or();
      skipSpaces();
      if (at >= text.length() || text.charAt(at) != ')') {
        throw error("missing ')'");
      }
      at++;
      return inner;
    }
    Marker.Operand left = operand();
    String operator = operator();
    Marker.Operand right = operand();
    return new Marker.Comparison(left, operator, right);
  }

  private Marker.Operand operand() {
    skipSpaces();
    if (at >= text.length()) {
      throw error("expected a variable or a quoted string");
    }
    char c = text.charAt(at);
    if (c == '"' || c == '\'') {
      int end = text.indexOf(c, at + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String value = text.substring(at + 1, end);
      at = end + 1;
      return new Marker.Operand(value, false);
    }
    int start = at;
    while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == '.')) {
      at++;
    }
    String name = text.substring(start, at);
    if (!VARIABLES.contains(name)) {
      at = start;
      throw error("unknown variable '" + name + "'");
    }
    return new Marker.Operand(canonical(name), true);
  }

  private static String canonical(String name) {
    return switch (name) {
      case "os.name" -> "os_name";
      case "sys.platform" -> "sys_platform";
      case "platform.version" -> "platform_version";
      case "platform.machine" -> "platform_machine";
      case "platform.python_implementation", "python_implementation" -> "platform_python_implementation";
      default -> name;
    };
  }

  private String operator() {
    skipSpaces();
    for (String operator : OPERATORS) {
      if (text.startsWith(operator, at)) {
        at += operator.length();
        return operator;
      }
    }
    if (keyword("in")) {
      return "in";
    }
    int saved = at;
    if (keyword("not") && keyword("in")) {
      return "not in";
    }
    at = saved;
    throw error("expected an operator");
  }

  private boolean keyword(String word) {
    skipSpaces();
    if (text.startsWith(word, at)) {
      int end = at + word.length();
      if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_') {
        at = end;
        return true;
      }
    }
    return false;
  }

  private void skipSpaces() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "invalid marker '" + text + "': " + what + " at position " + at);
  }
}
