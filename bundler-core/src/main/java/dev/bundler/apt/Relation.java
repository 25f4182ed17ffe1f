package dev.bundler.apt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package relation, {@code name[:arch] [(op version)]}, as {@code Depends}, {@code
 * Pre-Depends}, {@code Conflicts}, {@code Breaks} and {@code Provides} list them. Architecture
 * restrictions ({@code [amd64]}) and build profiles ({@code <!nocheck>}) are evaluated away when
 * parsing.
 *
 * @param name the package name
 * @param archQualifier {@code any}, {@code native}, an architecture, or {@code null}
 * @param operator {@code <<}, {@code <=}, {@code =}, {@code >=}, {@code >>}, or {@code null}
 * @param version the version the operator compares with, or {@code null}
 */
public record Relation(String name, String archQualifier, String operator, DebianVersion version) {
  private static final Pattern RELATION = Pattern.compile(
      "([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\\s*(?:\\(\\s*(<<|<=|=|>=|>>|<|>)\\s*([^)\\s]+)\\s*\\))?\\s*"
          + "(?:\\[([^]]*)])?\\s*(?:<[^>]*>\\s*)*");

  public Relation {
    Objects.requireNonNull(name, "name");
    if ((operator == null) != (version == null)) {
      throw new IllegalArgumentException("operator and version go together");
    }
  }

  /**
   * Parses a relation field: comma-separated groups of {@code |}-separated alternatives.
   * Alternatives restricted to other architectures are dropped; an empty group is dropped.
   */
  public static List<List<Relation>> parseField(String value, String architecture) {
    List<List<Relation>> groups = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return groups;
    }
    for (String group : value.split(",")) {
      List<Relation> alternatives = new ArrayList<>();
      for (String alternative : group.split("\\|")) {
        String text = alternative.strip();
        if (text.isEmpty()) {
          continue;
        }
        Matcher m = RELATION.matcher(text);
        if (!m.matches()) {
          throw new IllegalArgumentException("'" + text + "' is not a package relation");
        }
        if (m.group(5) != null && !architectureMatches(m.group(5), architecture)) {
          continue;
        }
        String operator = m.group(3);
        if ("<".equals(operator)) {
          operator = "<=";
        } else if (">".equals(operator)) {
          operator = ">=";
        }
        alternatives.add(new Relation(m.group(1), m.group(2), operator,
            m.group(4) == null ? null : DebianVersion.parse(m.group(4))));
      }
      if (!alternatives.isEmpty()) {
        groups.add(alternatives);
      }
    }
    return groups;
  }

  private static boolean architectureMatches(String list, String architecture) {
    boolean negated = list.strip().startsWith("!");
    for (String arch : list.strip().split("\\s+")) {
      String bare = arch.startsWith("!") ? arch.substring(1) : arch;
      if (bare.equals(architecture) || bare.equals("any") || bare.equals("linux-any")) {
        return !negated;
      }
    }
    return negated;
  }

  /** Whether {@code candidate} satisfies this relation's version constraint. */
  public boolean accepts(DebianVersion candidate) {
    if (operator == null) {
      return true;
    }
    if (candidate == null) {
      return false;
    }
    int c = candidate.compareTo(version);
    return switch (operator) {
      case "<<" -> c < 0;
      case "<=" -> c <= 0;
      case "=" -> c == 0;
      case ">=" -> c >= 0;
      case ">>" -> c > 0;
      default -> throw new IllegalStateException(operator);
    };
  }

  @Override
  public String toString() {
    return name + (archQualifier == null ? "" : ":" + archQualifier)
        + (operator == null ? "" : " (" + operator + " " + version + ")");
  }
}
