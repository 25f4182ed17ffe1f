package dev.bundler.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs images in podman with the settings that work on these machines (runc, cgroupfs, overlay
 * storage under a test directory, ulimits within the hard limits). Every podman command has a
 * timeout ({@link #TIMEOUT} unless given): a hung container fails the test, naming the command.
 */
public final class Podman {
  /** How long one podman command may take unless the caller says otherwise. */
  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Map<String, String> environment;

  private Podman(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Podman with its storage under {@code directory}: keep it out of JUnit's temporary directories,
   * whose clean-up cannot remove overlay work directories.
   */
  public static Podman create(Path directory) throws IOException {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    Files.createDirectories(directory);
    Path containers = directory.resolve("containers.conf");
    Files.writeString(containers, "[containers]\ndefault_ulimits = [\"nofile=" + hard("Max open files")
        + "\", \"nproc=" + Math.min(32768, hard("Max processes")) + "\"]\n[engine]\nruntime = \"runc\"\n"
        + "cgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n[network]\nnetwork_backend = \"netavark\"\n");
    Path storage = directory.resolve("storage.conf");
    Files.writeString(storage, "[storage]\ndriver = \"overlay\"\ngraphroot = \"" + directory.resolve("graph")
        + "\"\nrunroot = \"" + directory.resolve("run") + "\"\n");
    return new Podman(Map.of("CONTAINERS_CONF", containers.toString(),
        "CONTAINERS_STORAGE_CONF", storage.toString()));
  }

  /**
   * Runs {@code command} in the image as its configured user, without its entrypoint; fails the
   * test unless it succeeds.
   */
  public String run(Path ociArchive, List<String> command) throws IOException, InterruptedException {
    return direct(ociArchive, List.of(), command);
  }

  /** Runs {@code command} with more {@code podman run} options ({@code --read-only}). */
  public String run(Path ociArchive, List<String> options, List<String> command)
      throws IOException, InterruptedException {
    return direct(ociArchive, options, command);
  }

  /** {@link #run} as root. */
  public String runAsRoot(Path ociArchive, List<String> command) throws IOException, InterruptedException {
    return direct(ociArchive, List.of("--user", "0"), command);
  }

  /**
   * Runs the image as an operator does: its own entrypoint with {@code arguments}, with {@code
   * options} for {@code podman run} (volumes, user...), without network; returns the exit code
   * and output, whatever they are.
   */
  public Tools.Result runImage(Path ociArchive, List<String> options, List<String> arguments)
      throws IOException, InterruptedException {
    return runImage(ociArchive, options, arguments, TIMEOUT);
  }

  /** {@link #runImage} within {@code timeout}. */
  public Tools.Result runImage(Path ociArchive, List<String> options, List<String> arguments,
      Duration timeout) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("run", "--rm", "--quiet", "--network", "none"));
    full.addAll(options);
    full.add("oci-archive:" + ociArchive);
    full.addAll(arguments);
    return podman(full, timeout);
  }

  /**
   * Starts the image detached, as {@link #runImage} runs it, named {@code name}; returns the
   * name. Remove it with {@link #remove}.
   */
  public String start(String name, Path ociArchive, List<String> options, List<String> arguments)
      throws IOException, InterruptedException {
    podman(List.of("rm", "--force", "--ignore", name), TIMEOUT);
    List<String> full = new ArrayList<>(List.of("run", "--detach", "--quiet", "--name", name,
        "--network", "none"));
    full.addAll(options);
    full.add("oci-archive:" + ociArchive);
    full.addAll(arguments);
    check(full);
    return name;
  }

  /**
   * Runs the image as {@link #runImage} does, as container {@code name}, and returns its exit code
   * as {@code podman wait} reports it with its log: unlike {@code podman run --rm}, whose exit code
   * can be lost when a container ends at once (podman's cleanup races it), this one is reliable.
   */
  public Tools.Result runToExit(String name, Path ociArchive, List<String> options,
      List<String> arguments, Duration timeout) throws IOException, InterruptedException {
    start(name, ociArchive, options, arguments);
    try {
      List<String> wait = List.of("wait", name);
      String status = podman(wait, timeout).requireSuccess(wait).output().strip();
      String log = check(List.of("logs", name));
      return new Tools.Result(Integer.parseInt(status.substring(status.lastIndexOf('\n') + 1)), log);
    } finally {
      remove(name);
    }
  }

  /** Runs {@code command} in the running container {@code name}; returns exit code and output. */
  public Tools.Result exec(String name, List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("exec", name));
    full.addAll(command);
    return podman(full, TIMEOUT);
  }

  /**
   * Removes every container and image of this storage (each {@code oci-archive:} run stores its
   * image, some 200 MB unpacked), unless {@link Scratch#KEEP} is set: a test class calls it when
   * it is done.
   */
  public void discardImages() throws IOException, InterruptedException {
    if (!Scratch.keep()) {
      check(List.of("rmi", "--all", "--force"));
    }
  }

  /** Removes the container {@code name}, running or not. */
  public void remove(String name) throws IOException, InterruptedException {
    podman(List.of("rm", "--force", "--ignore", "--time", "0", name), TIMEOUT);
  }

  /** Runs podman with {@code arguments}; fails the test unless it succeeds; returns its output. */
  public String check(List<String> arguments) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("podman"));
    full.addAll(arguments);
    return podman(arguments, TIMEOUT).requireSuccess(full).output();
  }

  /** Runs podman with {@code arguments} and this instance's configuration, within {@code timeout}. */
  public Tools.Result podman(List<String> arguments, Duration timeout)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("podman"));
    full.addAll(arguments);
    return Tools.run(full, null, environment, timeout);
  }

  /** The variables that point podman at this configuration, for a script to use. */
  public Map<String, String> environment() {
    return environment;
  }

  private String direct(Path ociArchive, List<String> options, List<String> command)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("run", "--rm", "--quiet", "--network", "none"));
    full.addAll(options);
    full.add("--entrypoint");
    full.add("[]");
    full.add("oci-archive:" + ociArchive);
    full.addAll(command);
    return check(full);
  }

  private static long hard(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith(name)) {
        String value = line.substring(name.length()).trim().split("\\s+")[1];
        return value.equals("unlimited") ? 1048576 : Long.parseLong(value);
      }
    }
    return 1024;
  }
}
