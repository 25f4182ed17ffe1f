package dev.bundler.image;

import java.util.List;
import java.util.Objects;

/**
 * Everything an image is made of: a base, bundler's layers on top of it (lowest first), the
 * container config, the reference it is named by and the CPU architecture it runs on.
 */
public record ImageSpec(
    BaseImage base,
    List<ImageLayer> layers,
    ContainerConfig config,
    String reference,
    String architecture) {

  public ImageSpec {
    Objects.requireNonNull(base, "base");
    layers = List.copyOf(layers);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(architecture, "architecture");
    if (layers.size() > 100) {
      throw new IllegalArgumentException(layers.size() + " layers is too close to the 127 limit");
    }
  }
}
