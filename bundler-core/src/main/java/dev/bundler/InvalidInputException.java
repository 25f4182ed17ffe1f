package dev.bundler;

import java.util.Optional;

/**
 * A failure the user fixes by changing their input: a parameter value, a package name or version,
 * a wheel or a Debian package that is corrupt or unsafe.
 *
 * <p>{@link #parameter()} names the configuration parameter to change (as its Maven property, for
 * example {@code bundler.wheelhouse}) when one is to blame.
 */
public class InvalidInputException extends BundlerException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidInputException(String message) {
    this(null, message, null);
  }

  public InvalidInputException(String parameter, String message) {
    this(parameter, message, null);
  }

  public InvalidInputException(String parameter, String message, Throwable cause) {
    super(message, cause);
    this.parameter = parameter;
  }

  /** The parameter whose value caused this failure, if one did. */
  public Optional<String> parameter() {
    return Optional.ofNullable(parameter);
  }
}
