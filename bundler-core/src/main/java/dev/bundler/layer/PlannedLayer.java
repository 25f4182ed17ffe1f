package dev.bundler.layer;

import java.util.Objects;

/**
 * A layer as a build plans it: what it is called, the cache key of everything that decides its
 * content, and how to produce its entries if the cache lacks it. Planning a layer costs nothing;
 * {@link LayerCache#computeIfAbsent} turns it into a written {@link Layer}.
 *
 * @param description the line of the image history that describes it
 * @param key the cache key (64 hex digits)
 * @param source its entries, produced only when the layer must be written
 */
public record PlannedLayer(String description, String key, LayerCache.Source source) {
  public PlannedLayer {
    Objects.requireNonNull(description, "description");
    if (key == null || !key.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a cache key: " + key);
    }
    Objects.requireNonNull(source, "source");
  }
}
