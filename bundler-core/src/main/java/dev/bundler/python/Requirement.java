package dev.bundler.python;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 508 dependency specification, as {@code Requires-Dist} lines carry them: {@code
 * name[extras] (specifier) ; marker} or {@code name[extras] @ url ; marker}.
 *
 * @param name the distribution name as written
 * @param extras the extras requested, normalized and sorted
 * @param specifier the versions allowed
 * @param url the direct reference, or {@code null}
 * @param marker when the requirement applies; {@link Marker#ALWAYS} when it has none
 */
public record Requirement(
    String name, Set<String> extras, VersionSpecifier specifier, String url, Marker marker) {
  private static final Pattern HEAD =
      Pattern.compile("\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[([^\\]]*)\\])?\\s*");

  public Requirement {
    Objects.requireNonNull(name, "name");
    extras = Collections.unmodifiableSortedSet(new TreeSet<>(extras));
    Objects.requireNonNull(specifier, "specifier");
    Objects.requireNonNull(marker, "marker");
  }

  /**
   * Parses one requirement.
   *
   * @throws IllegalArgumentException naming the text if it is not PEP 508
   */
  public static Requirement parse(String text) {
    try {
      return parseStrict(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a valid requirement: " + e.getMessage(), e);
    }
  }

  private static Requirement parseStrict(String text) {
    Matcher head = HEAD.matcher(text);
    if (!head.lookingAt()) {
      throw new IllegalArgumentException("it does not start with a distribution name");
    }
    Set<String> extras = new TreeSet<>();
    if (head.group(2) != null) {
      for (String extra : head.group(2).split(",")) {
        String trimmed = extra.trim();
        if (!trimmed.isEmpty()) {
          if (!Names.isValid(trimmed)) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an extra name");
          }
          extras.add(Names.normalize(trimmed));
        }
      }
    }
    String rest = text.substring(head.end());
    String url = null;
    VersionSpecifier specifier = VersionSpecifier.any();
    Marker marker = Marker.ALWAYS;
    if (rest.startsWith("@")) {
      String afterAt = rest.substring(1).trim();
      int space = indexOfMarker(afterAt, true);
      url = (space < 0 ? afterAt : afterAt.substring(0, space)).trim();
      rest = space < 0 ? "" : afterAt.substring(space);
      if (url.isEmpty()) {
        throw new IllegalArgumentException("'@' is not followed by a URL");
      }
    } else {
      int semicolon = indexOfMarker(rest, false);
      String spec = (semicolon < 0 ? rest : rest.substring(0, semicolon)).trim();
      rest = semicolon < 0 ? "" : rest.substring(semicolon);
      if (spec.startsWith("(")) {
        if (!spec.endsWith(")")) {
          throw new IllegalArgumentException("unbalanced parenthesis");
        }
        spec = spec.substring(1, spec.length() - 1);
      }
      specifier = VersionSpecifier.parse(spec);
    }
    rest = rest.trim();
    if (!rest.isEmpty()) {
      if (!rest.startsWith(";")) {
        throw new IllegalArgumentException("unexpected '" + rest + "'");
      }
      marker = Marker.parse(rest.substring(1).trim());
    }
    return new Requirement(head.group(1), extras, specifier, url, marker);
  }

  /** Where the marker part starts: a {@code ;} (after whitespace, for URLs). */
  private static int indexOfMarker(String text, boolean afterWhitespace) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ';' && (!afterWhitespace || i > 0 && Character.isWhitespace(text.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }

  /** The PEP 503 normalized name. */
  public String normalizedName() {
    return Names.normalize(name);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name);
    if (!extras.isEmpty()) {
      out.append('[').append(String.join(",", extras)).append(']');
    }
    if (url != null) {
      out.append(" @ ").append(url);
    } else if (!specifier.isEmpty()) {
      out.append(' ').append(specifier);
    }
    return out.toString();
  }
}
