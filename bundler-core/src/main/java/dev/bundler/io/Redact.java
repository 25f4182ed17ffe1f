package dev.bundler.io;

import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs, errors, image config and lockfiles: the user-info part of URLs
 * ({@code https://user:token@host/...}) becomes {@code ***}.
 */
public final class Redact {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  private Redact() {}

  /** {@code text} with the credentials of every URL in it replaced. */
  public static String urls(String text) {
    return text == null ? null : USER_INFO.matcher(text).replaceAll("***@");
  }
}
