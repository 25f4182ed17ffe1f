package dev.bundler.apt;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders
 * them: epochs numerically, then upstream and revision each compared by alternating runs of
 * non-digits (letters before everything else, {@code ~} before even the end) and digits
 * (numerically).
 */
public final class DebianVersion implements Comparable<DebianVersion> {

  private final long epoch;
  private final String upstream;
  private final String revision;
  private final String text;

  private DebianVersion(long epoch, String upstream, String revision, String text) {
    this.epoch = epoch;
    this.upstream = upstream;
    this.revision = revision;
    this.text = text;
  }

  /**
   * Parses a version.
   *
   * @throws IllegalArgumentException if it is not a Debian version
   */
  public static DebianVersion parse(String text) {
    String value = Objects.requireNonNull(text, "version").trim();
    if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("'" + text + "' is not a Debian version");
    }
    long epoch = 0;
    String rest = value;
    int colon = value.indexOf(':');
    if (colon >= 0) {
      String digits = value.substring(0, colon);
      if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + text + "' has an invalid epoch");
      }
      epoch = Long.parseLong(digits);
      rest = value.substring(colon + 1);
    }
    int dash = rest.lastIndexOf('-');
    String upstream = dash >= 0 ? rest.substring(0, dash) : rest;
    String revision = dash >= 0 ? rest.substring(dash + 1) : "";
    if (upstream.isEmpty() || !Character.isDigit(upstream.charAt(0))
        || !allOf(upstream, ".+~:-") || !allOf(revision, ".+~")) {
      throw new IllegalArgumentException("'" + text + "' is not a Debian version");
    }
    return new DebianVersion(epoch, upstream, revision, value);
  }

  /**
   * Whether {@code part} is ASCII letters, digits and {@code punctuation} only (a loop, not a
   * regular expression: an index parses some 180,000 versions).
   */
  private static boolean allOf(String part, String punctuation) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alphanumeric && punctuation.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  public long epoch() {
    return epoch;
  }

  public String upstream() {
    return upstream;
  }

  public String revision() {
    return revision;
  }

  @Override
  public int compareTo(DebianVersion other) {
    int c = Long.compare(epoch, other.epoch);
    if (c != 0) {
      return c;
    }
    c = compareParts(upstream, other.upstream);
    return c != 0 ? c : compareParts(revision, other.revision);
  }

  /** dpkg's verrevcmp. */
  static int compareParts(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !Character.isDigit(a.charAt(i)))
          || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int ac = i < a.length() ? order(a.charAt(i)) : 0;
        int bc = j < b.length() ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return Integer.compare(ac, bc);
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (i < a.length() && Character.isDigit(a.charAt(i))
          && j < b.length() && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return Integer.signum(firstDiff);
      }
    }
    return 0;
  }

  /** Weight of a character outside digit runs: ~ lowest, then end, letters, then the rest. */
  private static int order(char c) {
    if (Character.isDigit(c)) {
      return 0;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DebianVersion version && compareTo(version) == 0;
  }

  @Override
  public int hashCode() {
    // Equal versions differ only in leading zeros of digit runs ("1.01" = "1.1", "" = "0").
    return Objects.hash(epoch, upstream.replaceAll("(?<![0-9])0+", ""),
        revision.replaceAll("(?<![0-9])0+", ""));
  }

  /** The version as written. */
  @Override
  public String toString() {
    return text;
  }
}
