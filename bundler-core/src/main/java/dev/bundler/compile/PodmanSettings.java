package dev.bundler.compile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A podman configuration of bundler's own, passed through {@code CONTAINERS_CONF} and {@code
 * CONTAINERS_STORAGE_CONF} so that nothing under {@code /etc} is touched.
 *
 * <p>podman's defaults fail on many CI machines: it raises open-file limits that an unprivileged
 * (or confined root) process may not raise, and crun refuses hybrid cgroups. These settings keep
 * ulimits at the machine's hard limits, prefer runc, use the cgroupfs manager and the file events
 * logger, and keep bundler's images in overlay storage under its cache (so {@code bundler:purge}
 * removes them too).
 */
final class PodmanSettings {
  private static final long PODMAN_NPROC_CAP = 32768;

  private PodmanSettings() {}

  /**
   * Writes the configuration under {@code directory} and returns the environment variables that
   * select it. A user who set {@code CONTAINERS_CONF} themselves keeps their configuration.
   */
  static Map<String, String> prepare(Path directory, Map<String, String> environment)
      throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment.containsKey("CONTAINERS_CONF")) {
      return variables;
    }
    Files.createDirectories(directory);
    long files = hardLimit("Max open files", 1024);
    long processes = Math.min(hardLimit("Max processes", PODMAN_NPROC_CAP), PODMAN_NPROC_CAP);
    StringBuilder containers = new StringBuilder();
    containers.append("[containers]\n");
    containers.append("default_ulimits = [\"nofile=").append(files).append(':').append(files)
        .append("\", \"nproc=").append(processes).append(':').append(processes).append("\"]\n");
    containers.append("[engine]\n");
    if (hasRunc(environment)) {
      containers.append("runtime = \"runc\"\n");
    }
    containers.append("cgroup_manager = \"cgroupfs\"\n");
    containers.append("events_logger = \"file\"\n");
    containers.append("[network]\n");
    containers.append("network_backend = \"netavark\"\n");
    String storage =
        "[storage]\n"
            + "driver = \"overlay\"\n"
            + "graphroot = \"" + directory.resolve("storage") + "\"\n"
            + "runroot = \"" + directory.resolve("run") + "\"\n";
    Path containersConf = directory.resolve("containers.conf");
    Path storageConf = directory.resolve("storage.conf");
    Files.writeString(containersConf, containers, StandardCharsets.UTF_8);
    Files.writeString(storageConf, storage, StandardCharsets.UTF_8);
    variables.put("CONTAINERS_CONF", containersConf.toString());
    if (!environment.containsKey("CONTAINERS_STORAGE_CONF")) {
      variables.put("CONTAINERS_STORAGE_CONF", storageConf.toString());
    }
    return variables;
  }

  /** The hard limit of this process from {@code /proc/self/limits}, or {@code fallback}. */
  static long hardLimit(String name, long fallback) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
      for (String line : lines) {
        if (line.startsWith(name)) {
          String[] columns = line.substring(name.length()).trim().split("\\s+");
          return columns[1].equals("unlimited") ? fallback : Long.parseLong(columns[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or an unexpected format: the fallback is safe everywhere.
    }
    return fallback;
  }

  private static boolean hasRunc(Map<String, String> environment) {
    for (String directory : environment.getOrDefault("PATH", "").split(":")) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "runc"))) {
        return true;
      }
    }
    return false;
  }
}
