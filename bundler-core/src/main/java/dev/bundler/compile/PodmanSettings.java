package dev.bundler.compile;

import dev.bundler.Parameter;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  static final int RUN_ROOT_LIMIT = 50;

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
            + "runroot = \"" + runRoot(directory, environment) + "\"\n";
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

  /**
   * Where podman keeps its run-time state for the storage under {@code directory}: {@code
   * directory/run} when that path is short enough, else a directory of this user's named after
   * {@code directory}. podman 4 gives each container a clean-up command that refuses a run root
   * over {@value #RUN_ROOT_LIMIT} characters; the container's exit is then never recorded and
   * every {@code podman run} waits out conmon's timeout (about 20 s) before it returns.
   */
  static Path runRoot(Path directory, Map<String, String> environment) throws IOException {
    Path inCache = directory.resolve("run");
    if (inCache.toString().length() <= RUN_ROOT_LIMIT) {
      return inCache;
    }
    byte[] path = directory.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
    String name = "bundler-" + Digests.sha256Hex(path).substring(0, 16);
    String runtime = environment.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isEmpty()) {
      Path perUser = Path.of(runtime, name);
      if (perUser.toString().length() <= RUN_ROOT_LIMIT && Files.isDirectory(Path.of(runtime))) {
        return privateDirectory(perUser);
      }
    }
    Path shared = Path.of("/tmp", name + "-" + System.getProperty("user.name"));
    if (shared.toString().length() > RUN_ROOT_LIMIT) {
      shared = Path.of("/tmp", name);
    }
    return privateDirectory(shared);
  }

  /**
   * Creates {@code directory} readable by this user only, or checks that the one there is a
   * directory (not a link) of this user's that nobody else may write: {@code /tmp} is shared, and
   * a run root another user prepared could hand podman their files.
   */
  private static Path privateDirectory(Path directory) throws IOException {
    try {
      Files.createDirectory(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // Checked below.
    }
    PosixFileAttributes attributes =
        Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String me = System.getProperty("user.name");
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (!attributes.isDirectory()
        || !attributes.owner().getName().equals(me)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          directory + " is not a private directory of user " + me + " (podman's run root for "
              + "bundler's cache is kept there because the cache path is too long for podman); "
              + "remove it, or set a shorter " + Parameter.CACHE_DIRECTORY);
    }
    return directory;
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
