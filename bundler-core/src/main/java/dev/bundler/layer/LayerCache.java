package dev.bundler.layer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.io.KeyLocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * A content-addressed store of written layers, keyed by the layer's inputs ({@link CacheKey}).
 *
 * <p>Blobs live under {@code blobs/sha256/<hex>}; each key maps to a small JSON record naming its
 * blob. Everything is written to a temporary file and moved into place, so concurrent writers
 * (builds of a {@code mvn -T} reactor, CI jobs sharing a cache directory) never see a partial
 * file; two writers of the same key write the same bytes, and the last move wins harmlessly.
 */
public final class LayerCache {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path blobs;
  private final Path keys;
  private final Path temporary;
  private final EventHandler events;
  private final CacheSeal seal;

  private LayerCache(Path root, EventHandler events, CacheSeal seal) {
    this.root = root;
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.keys = root.resolve("layers");
    this.temporary = root.resolve("tmp");
    this.events = events;
    this.seal = seal;
  }

  /**
   * A cache rooted at {@code root}, created on first write, whose records are sealed with this
   * user's {@link CacheSeal}.
   */
  public static LayerCache at(Path root) throws IOException {
    return at(root, CacheSeal.forUser());
  }

  /** A cache rooted at {@code root} whose records are sealed with {@code seal}. */
  public static LayerCache at(Path root, CacheSeal seal) {
    return new LayerCache(root.toAbsolutePath(), EventHandler.NONE, seal);
  }

  /** This cache, reporting each layer it writes (and how long it took) to {@code handler}. */
  public LayerCache reporting(EventHandler handler) {
    return new LayerCache(root, handler, seal);
  }

  /** Produces the entries of a layer when the cache does not have it. */
  @FunctionalInterface
  public interface Source {
    Collection<LayerEntry> entries() throws BundlerException, IOException;
  }

  /**
   * The layer stored under {@code key}, if its record carries this user's seal and its blob is
   * present. The blob's content is not read here: whoever reads it checks it against the
   * record's digest ({@link VerifiedBlobs}) and {@link #evict}s it on a mismatch.
   */
  public Optional<Layer> get(String key) throws IOException {
    Path record = keys.resolve(key + ".json");
    Record stored;
    try {
      byte[] content = seal.read(record);
      if (content == null) {
        return Optional.empty(); // absent, forged or damaged: a miss, the next write replaces it
      }
      stored = JSON.readValue(content, Record.class);
      new Layer(blobPath(stored.digest()), stored.digest(), stored.diffId(), stored.size());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    Path blob = blobPath(stored.digest());
    if (!Files.isRegularFile(blob) || Files.size(blob) != stored.size()) {
      return Optional.empty();
    }
    return Optional.of(new Layer(blob, stored.digest(), stored.diffId(), stored.size()));
  }

  /**
   * Takes {@code blob} (a checked download of the layer recorded elsewhere under {@code key},
   * with {@code digest}, {@code diffId} and {@code size}) into this cache, and records it.
   */
  public Layer adopt(String key, Path blob, String digest, String diffId, long size)
      throws IOException {
    Files.createDirectories(blobs);
    Path target = blobPath(digest);
    AtomicFiles.move(blob, target);
    seal.write(keys.resolve(key + ".json"), JSON.writeValueAsBytes(new Record(digest, diffId, size)));
    return new Layer(target, digest, diffId, size);
  }

  /** A file in the cache's own scratch directory, for a download on its way in. */
  public Path partial() throws IOException {
    Files.createDirectories(temporary);
    return Files.createTempFile(temporary, "fetch-", ".tar.gz");
  }

  /** Where the blob of {@code digest} lives (or would). */
  public Path blob(String digest) {
    return blobPath(digest);
  }

  /**
   * Forgets {@code layer}: its blob (found damaged by the read that used it) and the record of
   * {@code key}, so that the next {@link #computeIfAbsent} writes it again.
   */
  public void evict(String key, Layer layer) throws IOException {
    events.warn("The cached layer blob " + layer.blob() + " does not match its digest "
        + layer.digest() + ": removed from the cache, it is written again");
    Files.deleteIfExists(keys.resolve(key + ".json"));
    Files.deleteIfExists(blobPath(layer.digest()));
  }

  /**
   * The layer stored under {@code key}, written from {@code source} with {@code writer} if absent;
   * {@code description} names it in the events. Concurrent requests for one key write it once;
   * the others wait and read it.
   */
  public Layer computeIfAbsent(String key, String description, LayerWriter writer, Source source)
      throws BundlerException, IOException {
    Optional<Layer> cached = get(key);
    if (cached.isPresent()) {
      events.debug("Layer " + description + ": from the cache");
      return cached.get();
    }
    return new KeyLocks(root.resolve("locks")).with(key, () -> {
      Optional<Layer> written = get(key);
      if (written.isPresent()) {
        events.debug("Layer " + description + ": written meanwhile by another build");
        return written.get();
      }
      long start = System.nanoTime();
      events.info("Writing layer " + description);
      Layer layer = write(key, writer, source);
      events.info(String.format("Wrote layer %s: %,d KiB in %.1f s", description,
          layer.size() >> 10, (System.nanoTime() - start) / 1e9));
      return layer;
    });
  }

  /** {@link #computeIfAbsent(String, String, LayerWriter, Source)} for an unnamed layer. */
  public Layer computeIfAbsent(String key, LayerWriter writer, Source source)
      throws BundlerException, IOException {
    return computeIfAbsent(key, key.substring(0, Math.min(12, key.length())), writer, source);
  }

  private Layer write(String key, LayerWriter writer, Source source)
      throws BundlerException, IOException {
    Files.createDirectories(temporary);
    Files.createDirectories(blobs);
    Files.createDirectories(keys);
    Path partial = Files.createTempFile(temporary, "layer-", ".tar.gz");
    try {
      Layer written = writer.write(source.entries(), partial);
      Path blob = blobPath(written.digest());
      AtomicFiles.move(partial, blob);
      seal.write(keys.resolve(key + ".json"),
          JSON.writeValueAsBytes(new Record(written.digest(), written.diffId(), written.size())));
      return new Layer(blob, written.digest(), written.diffId(), written.size());
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private Path blobPath(String digest) {
    return blobs.resolve(digest.substring("sha256:".length()));
  }

  private record Record(String digest, String diffId, long size) {}
}
