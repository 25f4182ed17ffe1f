package dev.bundler;

import java.util.Optional;

/**
 * A failure the user fixes by changing their input: a parameter value, a package name or version,
 * a wheel or a Debian package that is corrupt or unsafe.
 *
 * <p>{@link #parameter()} is the parameter to change when one is to blame; the message refers to
 * parameters as {@link Parameter} references, which a front end renders ({@link
 * ParameterSpelling}).
 */
public class InvalidInputException extends BundlerException {
  private static final long serialVersionUID = 1L;

  private final Parameter parameter;

  public InvalidInputException(String message) {
    this((Parameter) null, message, null);
  }

  public InvalidInputException(Parameter parameter, String message) {
    this(parameter, message, null);
  }

  public InvalidInputException(Parameter parameter, String message, Throwable cause) {
    super(message, cause);
    this.parameter = parameter;
  }

  /** The parameter whose value caused this failure, if one did. */
  public Optional<Parameter> parameter() {
    return Optional.ofNullable(parameter);
  }
}
