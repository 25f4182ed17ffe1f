package dev.bundler.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference tools tests compare against (skopeo, umoci, podman, python3, dpkg). A missing
 * tool fails the test with the command that installs it: tests never skip. Every run has a
 * timeout: a hung tool fails the test with its command and what it printed, it never hangs it.
 */
public final class Tools {
  /** How long a tool may run unless the caller says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

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

  /** Runs a command, merging stderr into the output, with the default timeout. */
  public static Result run(List<String> command, Path directory) throws IOException, InterruptedException {
    return run(command, directory, Map.of(), DEFAULT_TIMEOUT);
  }

  /**
   * Runs a command with {@code environment} added to this process's, merging stderr into the
   * output. The output goes to a file, not a pipe, so that the timeout fires whatever the command
   * (or a child it left behind) does with its output; on timeout the command and its children are
   * killed and the test fails with what they printed.
   */
  public static Result run(List<String> command, Path directory, Map<String, String> environment,
      Duration timeout) throws IOException, InterruptedException {
    Path log = Files.createTempFile("bundler-tool-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(directory == null ? null : directory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish in "
            + timeout.toSeconds() + " s and was killed; its output so far:\n" + read(log));
      }
      return new Result(process.exitValue(), read(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Runs a command and fails the test unless it succeeds; returns its output. */
  public static String check(List<String> command) throws IOException, InterruptedException {
    return run(command, null).requireSuccess(command).output();
  }

  private static String read(Path log) throws IOException {
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }
}
