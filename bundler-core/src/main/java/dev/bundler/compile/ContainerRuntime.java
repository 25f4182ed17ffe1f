package dev.bundler.compile;

import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The container runtime CLI bundler runs its one container with: podman (preferred) or docker.
 *
 * @param kind which CLI dialect it speaks
 * @param executable the binary
 */
public record ContainerRuntime(Kind kind, Path executable) {

  /** The CLI dialects bundler knows. */
  public enum Kind {
    PODMAN,
    DOCKER
  }

  public ContainerRuntime {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(executable, "executable");
  }

  /** How to install a runtime, for error messages. */
  static final String INSTALL_HINT =
      "install podman (Debian: apt-get install podman runc netavark uidmap fuse-overlayfs) or "
          + "the docker CLI, set " + Parameter.CONTAINER_RUNTIME.withValue("/path/to/podman")
          + ", or give pre-built wheels with " + Parameter.WHEELHOUSE;

  /**
   * Finds the runtime: {@code configured} may be empty (podman, then docker, on the PATH), {@code
   * podman}, {@code docker}, or the path of a binary whose name says which it is.
   *
   * @throws InvalidInputException if {@code configured} names something unusable
   * @throws EnvironmentException if nothing was configured and no runtime is on the PATH
   */
  public static ContainerRuntime find(String configured, Map<String, String> environment)
      throws InvalidInputException, EnvironmentException {
    String path = environment.getOrDefault("PATH", "");
    if (configured == null || configured.isBlank()) {
      for (Kind kind : Kind.values()) {
        Path found = onPath(kind.name().toLowerCase(java.util.Locale.ROOT), path);
        if (found != null) {
          return new ContainerRuntime(kind, found);
        }
      }
      throw new EnvironmentException(
          "No container runtime found on the PATH to build the wheelhouse: " + INSTALL_HINT);
    }
    String value = configured.trim();
    if (value.equals("podman") || value.equals("docker")) {
      Path found = onPath(value, path);
      if (found == null) {
        throw new InvalidInputException(
            Parameter.CONTAINER_RUNTIME,
            Parameter.CONTAINER_RUNTIME.withValue(value) + " but " + value + " is not on the PATH: "
                + INSTALL_HINT);
      }
      return new ContainerRuntime(Kind.valueOf(value.toUpperCase(java.util.Locale.ROOT)), found);
    }
    Path binary = Path.of(value);
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new InvalidInputException(
          Parameter.CONTAINER_RUNTIME,
          Parameter.CONTAINER_RUNTIME.withValue(value) + " is not an executable file: "
              + INSTALL_HINT);
    }
    String name = binary.getFileName().toString();
    Kind kind = name.contains("docker") ? Kind.DOCKER : Kind.PODMAN;
    return new ContainerRuntime(kind, binary.toAbsolutePath());
  }

  /** The executable {@code name} in a directory of {@code path}, or {@code null}. */
  static Path onPath(String name, String path) {
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Whether the runtime runs an OCI archive directly ({@code podman run oci-archive:FILE}); the
   * docker CLI instead loads a {@code docker save} tarball first.
   */
  public boolean runsOciArchives() {
    return kind == Kind.PODMAN;
  }

  public List<String> command(List<String> arguments) {
    List<String> command = new java.util.ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    return command;
  }
}
