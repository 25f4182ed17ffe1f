package dev.bundler.maven;

import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.ParameterSpelling;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one place where bundler-core's failures become Maven's.
 *
 * <p>The rule: what the user fixes in their configuration or input ({@link InvalidInputException})
 * is a {@link MojoFailureException} ("BUILD FAILURE", no stack trace needed); everything else
 * (network, registry, disk, container runtime) is a {@link MojoExecutionException}. The core's
 * messages refer to parameters; they are written here as Maven users write them.
 */
final class Failures {
  private Failures() {}

  /** What an I/O failure was, also when its message is only a path. */
  static String describe(IOException failure) {
    if (failure instanceof java.nio.file.FileSystemException fs) {
      String what = failure instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
          : failure instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : failure instanceof java.nio.file.FileAlreadyExistsException ? "the file exists already"
          : failure instanceof java.nio.file.NotDirectoryException ? "not a directory"
          : fs.getReason() != null ? fs.getReason() : failure.getClass().getSimpleName();
      return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": "
          + what + ". Check the path, its permissions and the free disk space";
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  /**
   * Rethrows {@code failure} as the Maven exception the rule above gives, its parameters (and
   * its causes') spelt by {@code spelling}.
   */
  static void rethrow(Exception failure, ParameterSpelling spelling)
      throws MojoExecutionException, MojoFailureException {
    if (failure instanceof InvalidInputException invalid) {
      throw new MojoFailureException(spelling.render(invalid.getMessage()),
          SpeltFailure.of(invalid, spelling));
    }
    if (failure instanceof BundlerException) {
      throw new MojoExecutionException(spelling.render(failure.getMessage()),
          SpeltFailure.of(failure, spelling));
    }
    if (failure instanceof IOException io) {
      throw new MojoExecutionException("I/O failure: " + describe(io), failure);
    }
    throw new MojoExecutionException(
        "bundler failed unexpectedly (please report it): " + failure, failure);
  }
}
