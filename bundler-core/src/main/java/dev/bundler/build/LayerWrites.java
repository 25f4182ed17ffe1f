package dev.bundler.build;

import dev.bundler.BundlerException;
import dev.bundler.io.Futures;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.layer.PlannedLayer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns planned layers into written ones, several at a time: a layer missing from the cache is
 * written (compressed) on one of as many threads as the machine has cores, independent layers in
 * parallel, and a layer can be started as soon as it is planned, while the build goes on (the
 * Debian layers are compressed while pip runs).
 */
final class LayerWrites implements AutoCloseable {
  private final LayerCache cache;
  private final LayerWriter writer;
  private final SharedCache shared;
  private final ExecutorService pool;
  private final Map<String, Future<Layer>> started = new ConcurrentHashMap<>();
  private volatile boolean fetchShared = true;

  LayerWrites(LayerCache cache, LayerWriter writer, SharedCache shared) {
    this.cache = cache;
    this.writer = writer;
    this.shared = shared;
    this.pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
        task -> {
          Thread thread = new Thread(task, "bundler-layer-writer");
          thread.setDaemon(true);
          return thread;
        });
  }

  LayerCache cache() {
    return cache;
  }

  /**
   * Whether layers found in the registry cache are downloaded (for a tarball), or only described
   * (a push mounts them from the cache repository).
   */
  void fetchShared(boolean value) {
    this.fetchShared = value;
  }

  /**
   * Starts making {@code layer} unless it is started already: from the local cache, else the
   * registry cache, else written here (and then recorded in the registry cache).
   */
  void start(PlannedLayer layer) {
    started.computeIfAbsent(layer.key(), key -> pool.submit(() -> {
      java.util.Optional<Layer> local = cache.get(key);
      if (local.isPresent()) {
        return local.get();
      }
      java.util.Optional<Layer> remote = shared.layer(key, cache, fetchShared);
      if (remote.isPresent()) {
        return remote.get();
      }
      Layer written = cache.computeIfAbsent(key, layer.description(), writer, layer.source());
      shared.publishLayer(key, written);
      return written;
    }));
  }

  /** The written {@code layer}, waiting for it (and starting it if needed). */
  Layer get(PlannedLayer layer) throws BundlerException, IOException {
    start(layer);
    return Futures.get(started.get(layer.key()));
  }

  /** Forgets a layer whose blob was found damaged, so that {@link #get} writes it again. */
  void evict(PlannedLayer planned, Layer damaged) throws IOException {
    cache.evict(planned.key(), damaged);
    started.remove(planned.key());
  }

  /**
   * Stops the writers and waits for those under way (a failed build ends only once nothing is
   * writing into the cache on its behalf any more).
   */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
