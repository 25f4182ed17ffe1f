package dev.bundler.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image bundler's layers go on top of: nothing, an image tarball on disk, or an image in a
 * registry.
 */
public sealed interface BaseImage {


  /** Debian bookworm (or the configured suite), built by bundler from the signed archive. */
  record Debian() implements BaseImage {
    @Override
    public String toString() {
      return "debian";
    }
  }

  /** No base: the image holds only bundler's layers. */
  record Scratch() implements BaseImage {
    @Override
    public String toString() {
      return "scratch";
    }
  }

  /** An OCI archive or {@code docker save} tarball. */
  record Tarball(Path path) implements BaseImage {
    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** An image in a registry, pulled through jib-core. */
  record Registry(String reference) implements BaseImage {
    @Override
    public String toString() {
      return reference;
    }
  }

  /**
   * Reads the value of {@code bundler.from}: {@code debian} (or nothing: bundler builds the
   * Debian base itself), {@code scratch}, a path to an existing image tarball, or a registry
   * reference such as {@code HOST/debian:bookworm}.
   *
   * @throws InvalidInputException naming {@code bundler.from} if the value is none of these
   */
  static BaseImage parse(String value, Path workingDirectory) throws InvalidInputException {
    if (value == null || value.isBlank() || value.equals("debian")) {
      return new Debian();
    }
    if (value.equals("scratch")) {
      return new Scratch();
    }
    Path file = workingDirectory.resolve(value);
    if (Files.isRegularFile(file)) {
      return new Tarball(file.toAbsolutePath().normalize());
    }
    if (value.endsWith(".tar") || value.contains(java.io.File.separator + ".")) {
      throw new InvalidInputException(
          Parameter.FROM,
          "The base image tarball " + file + " does not exist: set " + Parameter.FROM + " to an "
              + "existing image tarball, a registry reference or 'scratch'");
    }
    try {
      ImageReference.parse(value);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(
          Parameter.FROM,
          "'" + value + "' is neither 'scratch', an existing image tarball nor a valid image "
              + "reference: fix " + Parameter.FROM,
          e);
    }
    return new Registry(value);
  }
}
