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
  private final ExecutorService pool;
  private final Map<String, Future<Layer>> started = new ConcurrentHashMap<>();

  LayerWrites(LayerCache cache, LayerWriter writer) {
    this.cache = cache;
    this.writer = writer;
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

  /** Starts making {@code layer} unless it is started already; cache hits return at once. */
  void start(PlannedLayer layer) {
    started.computeIfAbsent(layer.key(), key -> pool.submit(
        () -> cache.computeIfAbsent(key, layer.description(), writer, layer.source())));
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

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
