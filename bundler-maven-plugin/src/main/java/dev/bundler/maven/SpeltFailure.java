package dev.bundler.maven;

import dev.bundler.ParameterSpelling;
import java.util.Objects;

/**
 * A failure of the core with its message, and its causes' messages, spelt as Maven users write
 * parameters. Maven prints a goal's failure followed by the message of every cause its own
 * message does not contain, so the causes must be spelt too; the class name and stack trace shown
 * ({@code mvn -e}) stay the original's.
 */
final class SpeltFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int DEPTH = 32;

  private final String type;

  private SpeltFailure(Throwable original, String message, Throwable cause) {
    super(message, cause);
    this.type = original.getClass().getName();
    setStackTrace(original.getStackTrace());
    for (Throwable suppressed : original.getSuppressed()) {
      addSuppressed(suppressed);
    }
  }

  /** {@code failure} itself when nothing in its causes refers to a parameter, else a spelt copy. */
  static Throwable of(Throwable failure, ParameterSpelling spelling) {
    return of(failure, spelling, DEPTH);
  }

  private static Throwable of(Throwable failure, ParameterSpelling spelling, int depth) {
    if (failure == null || depth == 0) {
      return failure;
    }
    Throwable cause = of(failure.getCause(), spelling, depth - 1);
    String message = spelling.render(failure.getMessage());
    if (Objects.equals(message, failure.getMessage()) && cause == failure.getCause()) {
      return failure;
    }
    return new SpeltFailure(failure, message, cause);
  }

  @Override
  public String toString() {
    return getMessage() == null ? type : type + ": " + getMessage();
  }
}
