package dev.bundler.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python version as PEP 440 defines it: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]},
 * accepting every alternative spelling the standard allows and ordered exactly as it says (the
 * order pip and {@code packaging} use).
 */
public final class Pep440Version implements Comparable<Pep440Version> {
  private static final Pattern VERSION =
      Pattern.compile(
          "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?<post>-(?<postn1>[0-9]+)|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?)?"
              + "(?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]+)?)?"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
          Pattern.CASE_INSENSITIVE);

  private final BigInteger epoch;
  private final List<BigInteger> release;
  private final String preLabel;
  private final BigInteger preNumber;
  private final BigInteger post;
  private final BigInteger dev;
  private final List<String> local;

  private Pep440Version(
      BigInteger epoch, List<BigInteger> release, String preLabel, BigInteger preNumber,
      BigInteger post, BigInteger dev, List<String> local) {
    this.epoch = epoch;
    this.release = release;
    this.preLabel = preLabel;
    this.preNumber = preNumber;
    this.post = post;
    this.dev = dev;
    this.local = local;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException if it is not a PEP 440 version
   */
  public static Pep440Version parse(String text) {
    Matcher m = VERSION.matcher(Objects.requireNonNull(text, "version").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a valid PEP 440 version");
    }
    List<BigInteger> release = new ArrayList<>();
    for (String part : m.group("release").split("\\.")) {
      release.add(new BigInteger(part));
    }
    String preLabel = null;
    BigInteger preNumber = null;
    if (m.group("pre") != null) {
      preLabel = switch (m.group("prel").toLowerCase(Locale.ROOT)) {
        case "a", "alpha" -> "a";
        case "b", "beta" -> "b";
        default -> "rc";
      };
      preNumber = number(m.group("pren"));
    }
    BigInteger post = null;
    if (m.group("post") != null) {
      post = number(m.group("postn1") != null ? m.group("postn1") : m.group("postn2"));
    }
    BigInteger dev = m.group("dev") != null ? number(m.group("devn")) : null;
    List<String> local = List.of();
    if (m.group("local") != null) {
      local = List.of(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]"));
    }
    BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
    return new Pep440Version(
        epoch, Collections.unmodifiableList(release), preLabel, preNumber, post, dev, local);
  }

  /** True if {@code text} parses. */
  public static boolean isValid(String text) {
    return text != null && VERSION.matcher(text.trim()).matches();
  }

  private static BigInteger number(String digits) {
    return digits == null ? BigInteger.ZERO : new BigInteger(digits);
  }

  public BigInteger epoch() {
    return epoch;
  }

  /** The release segments, as written (trailing zeros kept). */
  public List<BigInteger> release() {
    return release;
  }

  public boolean isPrerelease() {
    return preLabel != null || dev != null;
  }

  public boolean isPostrelease() {
    return post != null;
  }

  public boolean isDevrelease() {
    return dev != null;
  }

  public boolean hasLocal() {
    return !local.isEmpty();
  }

  /** The version without its local label. */
  public Pep440Version publicVersion() {
    return local.isEmpty()
        ? this
        : new Pep440Version(epoch, release, preLabel, preNumber, post, dev, List.of());
  }

  /** Epoch and release only: {@code 1!2.0} of {@code 1!2.0rc1.post2+x}. */
  public Pep440Version baseVersion() {
    return new Pep440Version(epoch, release, null, null, null, null, List.of());
  }

  /** The normalized form: {@code 1.0a1.post2.dev3+local.1}. */
  @Override
  public String toString() {
    return publicString() + (local.isEmpty() ? "" : "+" + String.join(".", local));
  }

  /** {@link #toString()} without the local label. */
  public String publicString() {
    StringBuilder out = new StringBuilder();
    if (epoch.signum() != 0) {
      out.append(epoch).append('!');
    }
    for (int i = 0; i < release.size(); i++) {
      out.append(i == 0 ? "" : ".").append(release.get(i));
    }
    if (preLabel != null) {
      out.append(preLabel).append(preNumber);
    }
    if (post != null) {
      out.append(".post").append(post);
    }
    if (dev != null) {
      out.append(".dev").append(dev);
    }
    return out.toString();
  }

  @Override
  public int compareTo(Pep440Version other) {
    int c = epoch.compareTo(other.epoch);
    if (c != 0) {
      return c;
    }
    c = compareRelease(release, other.release);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(preRank(), other.preRank());
    if (c == 0 && preLabel != null) {
      c = preNumber.compareTo(other.preNumber);
    }
    if (c != 0) {
      return c;
    }
    c = compareAbsentFirst(post, other.post);
    if (c != 0) {
      return c;
    }
    c = compareAbsentLast(dev, other.dev);
    if (c != 0) {
      return c;
    }
    return compareLocal(local, other.local);
  }

  /** Orders a bare dev release before pre-releases, and final releases after them. */
  private int preRank() {
    if (preLabel == null) {
      return post == null && dev != null ? -1 : 4;
    }
    return switch (preLabel) {
      case "a" -> 1;
      case "b" -> 2;
      default -> 3;
    };
  }

  static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
    int length = Math.max(a.size(), b.size());
    for (int i = 0; i < length; i++) {
      BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareAbsentFirst(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a.compareTo(b);
  }

  private static int compareAbsentLast(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return a.compareTo(b);
  }

  /** Local labels: absent sorts first; numeric segments after alphanumeric ones. */
  private static int compareLocal(List<String> a, List<String> b) {
    int length = Math.min(a.size(), b.size());
    for (int i = 0; i < length; i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xNumber = x.chars().allMatch(Character::isDigit);
      boolean yNumber = y.chars().allMatch(Character::isDigit);
      int c;
      if (xNumber && yNumber) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xNumber != yNumber) {
        c = xNumber ? 1 : -1;
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Pep440Version version && compareTo(version) == 0;
  }

  @Override
  public int hashCode() {
    List<BigInteger> trimmed = new ArrayList<>(release);
    while (trimmed.size() > 1 && trimmed.get(trimmed.size() - 1).signum() == 0) {
      trimmed.remove(trimmed.size() - 1);
    }
    List<Object> localKey = new ArrayList<>();
    for (String part : local) {
      localKey.add(part.chars().allMatch(Character::isDigit) ? new BigInteger(part) : part);
    }
    return Objects.hash(epoch, trimmed, preLabel, preNumber, post, dev, localKey);
  }
}
