package dev.bundler.image;

import java.util.Objects;

/**
 * A user name and password (or token) for one registry. The password never appears in {@link
 * #toString()}, so a request or a log line that shows these shows no secret.
 */
public record RegistryCredentials(String username, String password) {
  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=****]";
  }
}
