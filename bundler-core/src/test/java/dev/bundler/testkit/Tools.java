package dev.bundler.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference tools tests compare against (skopeo, umoci, podman, python3, dpkg). A missing
 * tool fails the test with the command that installs it: tests never skip.
 */
public final class Tools {
  private Tools() {}

  /** The result of a finished command. */
  public record Result(int exitCode, String output) {
    public Result requireSuccess(List<String> command) {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  /** Fails unless {@code tool} is on the PATH, saying which Debian package provides it. */
  public static void require(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new AssertionError(
        tool + " is not installed; this test compares against it. Install it with "
            + "'apt-get install -y " + debianPackage + "' (.ci/run does).");
  }

  /** Runs a command, merging stderr into the output. */
  public static Result run(List<String> command, Path directory) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(directory == null ? null : directory.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 10 minutes");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Runs a command and fails the test unless it succeeds; returns its output. */
  public static String check(List<String> command) throws IOException, InterruptedException {
    return run(command, null).requireSuccess(command).output();
  }
}
