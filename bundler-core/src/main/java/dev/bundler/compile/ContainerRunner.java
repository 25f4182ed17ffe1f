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
  private final List<String> extraArguments;
  private final EventHandler events;

  private ContainerRunner(
      ContainerRuntime runtime,
      Map<String, String> processEnvironment,
      List<String> extraArguments,
      EventHandler events) {
    this.runtime = runtime;
    this.processEnvironment = processEnvironment;
    this.extraArguments = extraArguments;
    this.events = events;
  }

  /**
   * A runner for {@code runtime}; for podman, its settings (see {@link PodmanSettings}) are kept
   * under {@code settingsDirectory}.
   */
  public static ContainerRunner create(
      ContainerRuntime runtime,
      Path settingsDirectory,
      List<String> extraArguments,
      EventHandler events)
      throws IOException {
    Map<String, String> environment = new TreeMap<>();
    if (runtime.kind() == ContainerRuntime.Kind.PODMAN) {
      environment.putAll(PodmanSettings.prepare(settingsDirectory, System.getenv()));
    }
    return new ContainerRunner(runtime, environment, List.copyOf(extraArguments), events);
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
      envFile = Files.createTempFile("bundler-env-", ".list",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      StringBuilder env = new StringBuilder();
      new TreeMap<>(run.environment()).forEach((name, value) ->
          env.append(name).append('=').append(value).append('\n'));
      Files.writeString(envFile, env, StandardCharsets.UTF_8);
      List<String> command =
          runtime.command(arguments(run, imageReference(run.image()), envFile));
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

  /**
   * How the runtime names the image: podman runs the OCI archive itself; the docker CLI loads the
   * {@code docker save} tarball into its engine first and runs what it loaded.
   */
  private String imageReference(Path image) throws EnvironmentException {
    if (runtime.runsOciArchives()) {
      return "oci-archive:" + image.toAbsolutePath();
    }
    List<String> load = runtime.command(List.of("load", "--input", image.toAbsolutePath().toString()));
    events.info("Loading " + image.getFileName() + " into docker");
    String output;
    int exit;
    try {
      Process process = new ProcessBuilder(load).redirectErrorStream(true).start();
      process.getOutputStream().close();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      exit = process.waitFor();
    } catch (IOException e) {
      throw new EnvironmentException("Cannot run " + String.join(" ", load) + ": " + e.getMessage()
          + ". " + ContainerRuntime.INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while loading the compiler image", e);
    }
    java.util.regex.Matcher loaded =
        java.util.regex.Pattern.compile("Loaded image(?: ID)?: (\\S+)").matcher(output);
    if (exit != 0 || !loaded.find()) {
      throw new EnvironmentException(String.join(" ", load) + " failed (exit " + exit + "): "
          + output.strip() + ". Is the Docker engine running and reachable (DOCKER_HOST)?");
    }
    return loaded.group(1);
  }

  List<String> arguments(ContainerRun run, String image, Path envFile) {
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
    arguments.add(image);
    arguments.addAll(run.command());
    return arguments;
  }
}
