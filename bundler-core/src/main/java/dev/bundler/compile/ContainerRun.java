package dev.bundler.compile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One container to run: its root file system, bind mounts, a user, whether it may reach the network,
 * its environment, working directory and command.
 */
public record ContainerRun(
    ContainerRoot root,
    List<Mount> mounts,
    String user,
    boolean network,
    Map<String, String> environment,
    String workingDirectory,
    List<String> command) {

  /** A host directory or file mounted into the container. */
  public record Mount(Path host, String container, boolean readOnly) {
    public Mount {
      Objects.requireNonNull(host, "host");
      if (!container.startsWith("/")) {
        throw new IllegalArgumentException("mount point " + container + " is not absolute");
      }
    }

    String argument() {
      return host.toAbsolutePath() + ":" + container + (readOnly ? ":ro" : ":rw");
    }
  }

  public ContainerRun {
    Objects.requireNonNull(root, "root");
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(user, "user");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a container run needs a command");
    }
  }
}
