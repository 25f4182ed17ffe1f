package dev.bundler.image;

import dev.bundler.layer.Layer;
import java.util.Objects;

/**
 * A layer bundler wrote, with the line that describes it in the image history ({@code docker
 * history} shows it).
 */
public record ImageLayer(String description, Layer layer) {
  public ImageLayer {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(layer, "layer");
  }
}
