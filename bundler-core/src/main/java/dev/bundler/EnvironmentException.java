package dev.bundler;

/**
 * A failure of the machine or of a service bundler talks to, not of the user's input: an
 * unreachable archive or registry, a full disk, a container runtime that cannot start.
 */
public class EnvironmentException extends BundlerException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
