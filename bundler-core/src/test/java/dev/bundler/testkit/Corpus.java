package dev.bundler.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared offline Python corpus (real distributions), located by the build. */
public final class Corpus {
  private Corpus() {}

  public static Path directory() {
    String configured = System.getProperty("bundler.corpus");
    Path directory = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "python-corpus");
    if (!Files.isDirectory(directory)) {
      throw new AssertionError("The Python corpus is not at " + directory.toAbsolutePath()
          + ": check out the shared folder next to the repository, or pass -Dbundler.corpus=DIR");
    }
    return directory.toAbsolutePath().normalize();
  }
}
