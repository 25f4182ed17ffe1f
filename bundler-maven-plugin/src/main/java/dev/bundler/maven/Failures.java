package dev.bundler.maven;

import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one place where bundler-core's failures become Maven's.
 *
 * <p>The rule: what the user fixes in their configuration or input ({@link InvalidInputException})
 * is a {@link MojoFailureException} ("BUILD FAILURE", no stack trace needed); everything else
 * (network, registry, disk, container runtime) is a {@link MojoExecutionException}.
 */
final class Failures {
  private Failures() {}

  /** Rethrows {@code failure} as the Maven exception the rule above gives. */
  static void rethrow(Exception failure) throws MojoExecutionException, MojoFailureException {
    if (failure instanceof InvalidInputException invalid) {
      throw new MojoFailureException(invalid.getMessage(), invalid);
    }
    if (failure instanceof BundlerException) {
      throw new MojoExecutionException(failure.getMessage(), failure);
    }
    if (failure instanceof IOException) {
      throw new MojoExecutionException("I/O failure: " + failure.getMessage(), failure);
    }
    throw new MojoExecutionException(
        "bundler failed unexpectedly (please report it): " + failure, failure);
  }
}
