package dev.bundler.python;

import java.util.List;
import java.util.Set;

/**
 * A PEP 508 environment marker ({@code python_version < "3.8" and extra == 'socks'}), parsed once
 * and evaluated against a {@link MarkerEnvironment} and the extras requested.
 */
public sealed interface Marker {

  /** The marker of a requirement that has none: always true. */
  Marker ALWAYS = new Always();

  /**
   * Whether the marker holds for {@code environment} with {@code extras} requested: as pip does,
   * the marker is evaluated once per extra (or once with {@code extra == ""} when none is) and
   * holds if any evaluation does.
   */
  default boolean evaluate(MarkerEnvironment environment, Set<String> extras) {
    if (extras.isEmpty()) {
      return holds(environment, "");
    }
    for (String extra : extras) {
      if (holds(environment, Names.normalize(extra))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the marker holds with {@code extra} as the value of the {@code extra} variable. */
  boolean holds(MarkerEnvironment environment, String extra);

  /**
   * Parses marker text.
   *
   * @throws IllegalArgumentException on a syntax error, naming the marker
   */
  static Marker parse(String text) {
    return new MarkerParser(text).parse();
  }

  /** No marker. */
  record Always() implements Marker {
    @Override
    public boolean holds(MarkerEnvironment environment, String extra) {
      return true;
    }

    @Override
    public String toString() {
      return "";
    }
  }

  /** {@code left and right} / {@code left or right}. */
  record Junction(boolean and, List<Marker> parts) implements Marker {
    public Junction {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean holds(MarkerEnvironment environment, String extra) {
      for (Marker part : parts) {
        if (part.holds(environment, extra) != and) {
          return !and;
        }
      }
      return and;
    }
  }

  /** One comparison: each side a variable name or a quoted literal. */
  record Comparison(Operand left, String operator, Operand right) implements Marker {
    @Override
    public boolean holds(MarkerEnvironment environment, String extra) {
      String l = left.isVariable("extra") ? extra : left.value(environment);
      String r = right.isVariable("extra") ? extra : right.value(environment);
      if (left.isVariable("extra") && !right.variable()) {
        r = Names.normalize(r);
      } else if (right.isVariable("extra") && !left.variable()) {
        l = Names.normalize(l);
      }
      return compare(l, r);
    }

    private boolean compare(String l, String r) {
      switch (operator) {
        case "in":
          return r.contains(l);
        case "not in":
          return !r.contains(l);
        default:
          break;
      }
      if (Pep440Version.isValid(l)) {
        try {
          VersionSpecifier spec = VersionSpecifier.parse(operator + r);
          return spec.contains(Pep440Version.parse(l), true);
        } catch (IllegalArgumentException notAVersion) {
          // Fall through to a string comparison, as PEP 508 prescribes.
        }
      }
      return switch (operator) {
        case "==", "===" -> l.equals(r);
        case "!=" -> !l.equals(r);
        case "<" -> l.compareTo(r) < 0;
        case "<=" -> l.compareTo(r) <= 0;
        case ">" -> l.compareTo(r) > 0;
        case ">=" -> l.compareTo(r) >= 0;
        default -> throw new IllegalArgumentException(
            "operator " + operator + " cannot compare '" + l + "' and '" + r + "'");
      };
    }
  }

  /** A variable ({@code python_version}) or a quoted string. */
  record Operand(String text, boolean variable) {
    boolean isVariable(String name) {
      return variable && text.equals(name);
    }

    String value(MarkerEnvironment environment) {
      return variable ? environment.get(text) : text;
    }
  }
}
