package dev.bundler.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version specifier set such as {@code >=3.3.2,<4} or {@code ~=2.2}: all clauses must
 * hold. Pre-releases match only when asked for, or when a clause names one, as pip decides.
 */
public final class VersionSpecifier {
  private static final Pattern CLAUSE =
      Pattern.compile("\\s*(~=|===|==|!=|<=|>=|<|>)\\s*([^\\s,;]+)\\s*");

  private final List<Clause> clauses;
  private final String text;

  private VersionSpecifier(List<Clause> clauses, String text) {
    this.clauses = clauses;
    this.text = text;
  }

  /** The empty set, matching every final release. */
  public static VersionSpecifier any() {
    return new VersionSpecifier(List.of(), "");
  }

  /**
   * Parses a comma-separated list of clauses; blank text is {@link #any()}.
   *
   * @throws IllegalArgumentException on a malformed clause
   */
  public static VersionSpecifier parse(String text) {
    if (text == null || text.isBlank()) {
      return any();
    }
    List<Clause> clauses = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      Matcher m = CLAUSE.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a version specifier");
      }
      clauses.add(Clause.of(m.group(1), m.group(2)));
    }
    return new VersionSpecifier(List.copyOf(clauses), text.trim());
  }

  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  /** Whether {@code version} matches, pre-releases allowed only if a clause names one. */
  public boolean contains(Pep440Version version) {
    return contains(version, clauses.stream().anyMatch(Clause::allowsPrereleases));
  }

  /** Whether {@code version} matches, with pre-releases allowed or not. */
  public boolean contains(Pep440Version version, boolean prereleases) {
    if (!prereleases && version.isPrerelease()) {
      return false;
    }
    for (Clause clause : clauses) {
      if (!clause.contains(version)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }

  /** One operator and its version. */
  private record Clause(String operator, String version, Pep440Version parsed, boolean wildcard) {

    static Clause of(String operator, String version) {
      if (operator.equals("===")) {
        return new Clause(operator, version, null, false);
      }
      boolean wildcard = version.endsWith(".*");
      if (wildcard && !(operator.equals("==") || operator.equals("!="))) {
        throw new IllegalArgumentException(operator + version + ": only == and != take .*");
      }
      String bare = wildcard ? version.substring(0, version.length() - 2) : version;
      Pep440Version parsed;
      try {
        parsed = Pep440Version.parse(bare);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + operator + version + "' is not a version specifier", e);
      }
      if (wildcard && !parsed.equals(parsed.baseVersion())) {
        throw new IllegalArgumentException(
            operator + version + ": a prefix match takes release segments only");
      }
      if (!operator.equals("==") && !operator.equals("!=") && parsed.hasLocal()) {
        throw new IllegalArgumentException(operator + version + ": only == and != take a local label");
      }
      if (operator.equals("~=") && parsed.release().size() < 2) {
        throw new IllegalArgumentException(operator + version + ": ~= needs two release segments");
      }
      return new Clause(operator, version, parsed, wildcard);
    }

    boolean allowsPrereleases() {
      return parsed != null
          && !operator.equals("!=")
          && !operator.equals("<")
          && !operator.equals(">")
          && parsed.isPrerelease();
    }

    boolean contains(Pep440Version candidate) {
      return switch (operator) {
        case "===" -> candidate.toString().equalsIgnoreCase(version.trim())
            || version.trim().toLowerCase(Locale.ROOT).equals(candidate.toString());
        case "==" -> equal(candidate);
        case "!=" -> !equal(candidate);
        case "<=" -> candidate.publicVersion().compareTo(parsed) <= 0;
        case ">=" -> candidate.publicVersion().compareTo(parsed) >= 0;
        case "<" -> less(candidate);
        case ">" -> greater(candidate);
        case "~=" -> compatible(candidate);
        default -> throw new IllegalStateException(operator);
      };
    }

    private boolean equal(Pep440Version candidate) {
      if (wildcard) {
        return prefixMatches(candidate.publicVersion(), parsed);
      }
      if (parsed.hasLocal()) {
        return candidate.equals(parsed);
      }
      return candidate.publicVersion().equals(parsed);
    }

    private boolean less(Pep440Version candidate) {
      if (candidate.compareTo(parsed) >= 0) {
        return false;
      }
      return parsed.isPrerelease()
          || !candidate.isPrerelease()
          || !candidate.baseVersion().equals(parsed.baseVersion());
    }

    private boolean greater(Pep440Version candidate) {
      if (candidate.compareTo(parsed) <= 0) {
        return false;
      }
      if (!parsed.isPostrelease()
          && candidate.isPostrelease()
          && candidate.baseVersion().equals(parsed.baseVersion())) {
        return false;
      }
      return !(candidate.hasLocal() && candidate.baseVersion().equals(parsed.baseVersion()));
    }

    private boolean compatible(Pep440Version candidate) {
      List<BigInteger> release = parsed.release();
      Pep440Version prefix =
          Pep440Version.parse(
              (parsed.epoch().signum() != 0 ? parsed.epoch() + "!" : "")
                  + join(release.subList(0, release.size() - 1)));
      return candidate.publicVersion().compareTo(parsed) >= 0 && prefixMatches(candidate.publicVersion(), prefix);
    }

    /**
     * {@code ==V.*}: the candidate, written out segment by segment (its release padded with zeros
     * to the prefix's length), starts with the prefix's segments.
     */
    private static boolean prefixMatches(Pep440Version candidate, Pep440Version prefix) {
      List<String> want = segments(prefix);
      List<String> have = segments(candidate);
      int leading = 1 + candidate.release().size();
      for (int i = candidate.release().size(); i < prefix.release().size(); i++) {
        have.add(leading++, "0");
      }
      return have.size() >= want.size() && have.subList(0, want.size()).equals(want);
    }

    /** Epoch, release segments, then each remaining part ({@code a1}, {@code post2}, {@code dev3}). */
    private static List<String> segments(Pep440Version version) {
      List<String> segments = new ArrayList<>();
      segments.add(version.epoch().toString());
      for (BigInteger part : version.release()) {
        segments.add(part.toString());
      }
      String text = version.publicString();
      int prefix = version.epoch().signum() != 0 ? text.indexOf('!') + 1 : 0;
      String rest = text.substring(prefix + join(version.release()).length());
      for (String part : rest.split("\\.")) {
        if (!part.isEmpty()) {
          segments.add(part);
        }
      }
      return segments;
    }

    private static String join(List<BigInteger> parts) {
      StringBuilder out = new StringBuilder();
      for (BigInteger part : parts) {
        out.append(out.length() == 0 ? "" : ".").append(part);
      }
      return out.toString();
    }
  }
}
