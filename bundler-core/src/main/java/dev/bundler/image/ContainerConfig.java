package dev.bundler.image;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the image config says about running it: entrypoint, arguments, environment, ports,
 * volumes, user, working directory, labels and creation time.
 *
 * <p>Collections are copied: the environment keeps its order (later variables may refer to
 * earlier ones), ports, volumes and labels are sorted so that the config is the same bytes for the
 * same values.
 */
public record ContainerConfig(
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> environment,
    Set<Integer> exposedPorts,
    Set<String> volumes,
    String user,
    String workingDirectory,
    Map<String, String> labels,
    Instant creationTime) {

  public ContainerConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    exposedPorts = Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
    volumes = Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(creationTime, "creationTime");
    for (int port : exposedPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range");
      }
    }
    for (String volume : volumes) {
      if (!volume.startsWith("/")) {
        throw new IllegalArgumentException("volume " + volume + " is not an absolute path");
      }
    }
    if (!workingDirectory.startsWith("/")) {
      throw new IllegalArgumentException(
          "working directory " + workingDirectory + " is not an absolute path");
    }
  }
}
