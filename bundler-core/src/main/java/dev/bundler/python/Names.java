package dev.bundler.python;

import java.util.Locale;
import java.util.regex.Pattern;

/** Distribution names: validity (PEP 508) and normalization (PEP 503). */
public final class Names {
  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");

  private Names() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** {@code Foo__Bar.baz} becomes {@code foo-bar-baz}: the form names are compared in. */
  public static String normalize(String name) {
    return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
  }

  /** The form wheel file names and {@code .dist-info} directories use: {@code foo_bar_baz}. */
  public static String wheelForm(String name) {
    return normalize(name).replace('-', '_');
  }
}
