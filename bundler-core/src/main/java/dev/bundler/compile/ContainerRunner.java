package dev.bundler.compile;

import dev.bundler.EnvironmentException;
import dev.bundler.events.EventHandler;
import dev.bundler.io.Redact;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link ContainerRun} with the container runtime CLI, streaming its output to the event
 * handler line by line and keeping the last lines for error messages.
 */
public final class ContainerRunner {
  private static final int TAIL_LINES = 40;

  private final ContainerRuntime runtime;
  private final Map<String, String> processEnvironment;
  private final Path scratch;
  private final List<String> extraArguments;
  private final EventHandler events;

  private ContainerRunner(
      ContainerRuntime runtime,
      Map<String, String> processEnvironment,
      Path scratch,
      List<String> extraArguments,
      EventHandler events) {
    this.runtime = runtime;
    this.processEnvironment = processEnvironment;
    this.scratch = scratch;
    this.extraArguments = extraArguments;
    this.events = events;
  }

  /**
   * A runner for {@code runtime}; for podman, its settings (see {@link PodmanSettings}) are kept
   * under {@code settingsDirectory}. Its temporary files (the environment file) go under {@code
   * scratch}, and so do the runtime's own ({@code TMPDIR}).
   */
  public static ContainerRunner create(
      ContainerRuntime runtime,
      Path settingsDirectory,
      Path scratch,
      List<String> extraArguments,
      EventHandler events)
      throws IOException {
    Map<String, String> environment = new TreeMap<>();
    if (runtime.kind() == ContainerRuntime.Kind.PODMAN) {
      environment.putAll(PodmanSettings.prepare(settingsDirectory, System.getenv()));
    }
    Files.createDirectories(scratch);
    environment.put("TMPDIR", scratch.toAbsolutePath().toString());
    return new ContainerRunner(runtime, environment, scratch, List.copyOf(extraArguments), events);
  }

  /** The runtime this runner runs containers with. */
  public ContainerRuntime runtime() {
    return runtime;
  }

  /** The exit code and last lines of a finished run. */
  public record Outcome(int exitCode, List<String> tail) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs the container to completion. */
  public Outcome run(ContainerRun run) throws EnvironmentException {
    Path envFile = null;
    Deque<String> tail = new ArrayDeque<>();
    try {
      // The environment goes through a private file, never the command line: it may hold secrets.
      envFile = Files.createTempFile(scratch, "bundler-env-", ".list",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      StringBuilder env = new StringBuilder();
      new TreeMap<>(run.environment()).forEach((name, value) ->
          env.append(name).append('=').append(value).append('\n'));
      Files.writeString(envFile, env, StandardCharsets.UTF_8);
      List<String> command =
          runtime.command(arguments(run, envFile));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(processEnvironment);
      events.debug("Running " + Redact.urls(String.join(" ", command)));
      Process process = builder.start();
      process.getOutputStream().close();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          events.info("  | " + line);
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
      return new Outcome(process.waitFor(), new ArrayList<>(tail));
    } catch (IOException e) {
      throw new EnvironmentException(
          "Cannot run " + runtime.executable() + ": " + e.getMessage() + ". "
              + ContainerRuntime.INSTALL_HINT,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while the container ran", e);
    } finally {
      if (envFile != null) {
        try {
          Files.deleteIfExists(envFile);
        } catch (IOException ignored) {
          // a temporary file; nothing else to do
        }
      }
    }
  }

  List<String> arguments(ContainerRun run, Path envFile) {
    List<String> arguments = new ArrayList<>();
    arguments.add("run");
    arguments.add("--rm");
    arguments.add("--quiet");
    arguments.add("--network");
    arguments.add(run.network() ? "host" : "none");
    arguments.add("--user");
    arguments.add(run.user());
    arguments.add("--workdir");
    arguments.add(run.workingDirectory());
    for (ContainerRun.Mount mount : run.mounts()) {
      arguments.add("--volume");
      arguments.add(mount.argument());
    }
    arguments.add("--env-file");
    arguments.add(envFile.toString());
    arguments.addAll(extraArguments);
    if (run.root() instanceof ContainerRoot.Directory directory) {
      if (runtime.kind() != ContainerRuntime.Kind.PODMAN) {
        throw new IllegalArgumentException("only podman runs a root directory");
      }
      // An overlay on the cached tree: writes in the container never reach it.
      arguments.add("--rootfs");
      arguments.add(directory.path().toAbsolutePath() + ":O");
    } else {
      arguments.add(((ContainerRoot.Image) run.root()).reference());
    }
    arguments.addAll(run.command());
    return arguments;
  }
}
