package dev.bundler.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs images in podman with the settings that work on these machines (runc, cgroupfs, overlay
 * storage under a test directory, ulimits within the hard limits).
 */
public final class Podman {
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

  /** Runs {@code command} in the image as its configured user; fails the test unless it succeeds. */
  public String run(Path ociArchive, List<String> command) throws IOException, InterruptedException {
    return exec(ociArchive, List.of(), command);
  }

  /** Runs {@code command} with more {@code podman run} options ({@code --read-only}). */
  public String run(Path ociArchive, List<String> options, List<String> command)
      throws IOException, InterruptedException {
    return exec(ociArchive, options, command);
  }

  public String runAsRoot(Path ociArchive, List<String> command) throws IOException, InterruptedException {
    return exec(ociArchive, List.of("--user", "0"), command);
  }

  private String exec(Path ociArchive, List<String> options, List<String> command)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("podman", "run", "--rm", "--quiet", "--network", "none"));
    full.addAll(options);
    full.add("--entrypoint");
    full.add("[]");
    full.add("oci-archive:" + ociArchive);
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new AssertionError(String.join(" ", full) + " exited with " + process.exitValue() + ":\n" + output);
    }
    return output;
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
