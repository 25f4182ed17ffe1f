package dev.bundler;

/**
 * Root of every failure bundler-core reports.
 *
 * <p>Callers classify failures by subtype: {@link InvalidInputException} is the user's to fix (a
 * parameter, a package, a wheel), anything else is the environment's (network, disk, container
 * runtime, registry). Every message says what failed and what to do about it, naming the
 * parameters to change by reference ({@link Parameter}): a front end shows it through its {@link
 * ParameterSpelling}.
 */
public class BundlerException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundlerException(String message) {
    super(message);
  }

  public BundlerException(String message, Throwable cause) {
    super(message, cause);
  }
}
