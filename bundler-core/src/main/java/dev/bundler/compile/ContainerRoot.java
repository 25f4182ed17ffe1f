package dev.bundler.compile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The file system a container runs on. Never a compressed image: the compile stage's container
 * runs only on this machine, so its root is an unpacked directory podman runs with an overlay
 * (nothing is written into it), or, for the docker CLI, an image imported once into the engine
 * from an uncompressed tar.
 */
public sealed interface ContainerRoot {

  /** A root directory, run by podman with {@code --rootfs DIR:O}. */
  record Directory(Path path) implements ContainerRoot {
    public Directory {
      Objects.requireNonNull(path, "path");
    }
  }

  /** An image the Docker engine holds, by reference. */
  record Image(String reference) implements ContainerRoot {
    public Image {
      Objects.requireNonNull(reference, "reference");
    }
  }
}
