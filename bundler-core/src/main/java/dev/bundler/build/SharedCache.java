package dev.bundler.build;

import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryCache;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.DirectoryArchives;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The registry cache as a build uses it ({@code bundler.cacheRepository}), beside the local one:
 * what the local cache lacks is looked up there before it is made, and what this build made is
 * recorded there when the image is done. Without a cache repository every method is a miss or
 * does nothing; a repository that fails is given up with a warning, never a failure.
 */
final class SharedCache implements AutoCloseable {
  static final String LAYER = "layer";
  static final String WHEELHOUSE = "wheelhouse";
  static final String BYTECODE = "bytecode";

  private final RegistryCache remote;
  private final Path scratch;
  private final EventHandler events;
  private final ExecutorService uploads = Executors.newFixedThreadPool(2, task -> {
    Thread thread = new Thread(task, "bundler-cache-upload");
    thread.setDaemon(true);
    return thread;
  });
  private final List<CompletableFuture<Void>> published = new ArrayList<>();
  private final Set<String> remoteOnly = ConcurrentHashMap.newKeySet();

  SharedCache(RegistryCache remote, Path scratch, EventHandler events) {
    this.remote = remote;
    this.scratch = scratch;
    this.events = events;
  }

  /** Whether a cache repository is configured (and still answers). */
  boolean enabled() {
    return remote != null && remote.usable();
  }

  RegistryCache remote() {
    return remote;
  }

  /**
   * The layer recorded under {@code key} in the repository: downloaded into {@code local} (and
   * checked) when {@code download}, else only described (its blob stays remote: a push mounts
   * it). Empty on a miss.
   */
  Optional<Layer> layer(String key, LayerCache local, boolean download) throws IOException {
    if (!enabled()) {
      return Optional.empty();
    }
    Optional<RegistryCache.Entry> entry = remote.lookup(LAYER, key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    RegistryCache.Entry found = entry.get();
    if (!download) {
      remoteOnly.add(found.digest());
      return Optional.of(new Layer(local.blob(found.digest()), found.digest(), found.diffId(),
          found.size()));
    }
    Path partial = local.partial();
    try {
      if (!remote.fetch(found, partial)) {
        return Optional.empty();
      }
      events.info(String.format("Layer %s from the registry cache (%,d KiB)", key.substring(0, 12),
          found.size() >> 10));
      return Optional.of(local.adopt(key, partial, found.digest(), found.diffId(), found.size()));
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Whether the blob of {@code digest} is only in the repository (this build did not fetch it). */
  boolean isRemoteOnly(String digest) {
    return remoteOnly.contains(digest);
  }

  /** Records a layer this build wrote, when the image is done. */
  void publishLayer(String key, Layer layer) {
    if (enabled()) {
      later(() -> remote.publish(LAYER, key, layer.blob(), layer.digest(), layer.diffId(),
          layer.size()));
    }
  }

  /**
   * Fills {@code target} (absent) with the tree recorded as {@code kind} under {@code key}.
   * Returns whether it did.
   */
  boolean fetchTree(String kind, String key, Path target) throws IOException {
    if (!enabled()) {
      return false;
    }
    Optional<RegistryCache.Entry> entry = remote.lookup(kind, key);
    if (entry.isEmpty()) {
      return false;
    }
    Path work = Files.createTempDirectory(Files.createDirectories(scratch), "shared-");
    try {
      Path blob = work.resolve("blob.tar.gz");
      if (!remote.fetch(entry.get(), blob)) {
        return false;
      }
      Path tree = work.resolve("tree");
      DirectoryArchives.unpack(blob, tree);
      Files.createDirectories(target.getParent());
      Files.move(tree, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      events.info("The " + kind + " " + key.substring(0, 12) + " from the registry cache");
      return true;
    } catch (IOException e) {
      events.warn("The " + kind + " " + key.substring(0, 12) + " of the registry cache "
          + remote.repository() + " cannot be unpacked (" + e.getMessage() + "): made here");
      return false;
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
  }

  /** Records the tree {@code directory} as {@code kind} under {@code key}, when the image is done. */
  void publishTree(String kind, String key, Path directory) {
    if (!enabled()) {
      return;
    }
    later(() -> {
      Path work = null;
      try {
        work = Files.createTempDirectory(Files.createDirectories(scratch), "publish-");
        Layer blob = DirectoryArchives.pack(directory, work.resolve("blob.tar.gz"));
        remote.publish(kind, key, blob.blob(), blob.digest(), blob.digest(), blob.size());
      } catch (IOException e) {
        events.warn("The " + kind + " " + key.substring(0, 12) + " is not recorded in the "
            + "registry cache: " + e.getMessage());
      } finally {
        if (work != null) {
          AtomicFiles.deleteRecursively(work);
        }
      }
    });
  }

  private synchronized void later(Runnable upload) {
    published.add(CompletableFuture.runAsync(upload, uploads));
  }

  /** Waits for the records of this build to be uploaded (a failure there only warns). */
  void awaitPublished() {
    List<CompletableFuture<Void>> all;
    synchronized (this) {
      all = new ArrayList<>(published);
    }
    if (!all.isEmpty()) {
      events.info("Recording " + all.size() + " results in the registry cache " + remote.repository());
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      events.warn("Recording in the registry cache did not finish: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    uploads.shutdownNow();
    if (remote != null) {
      remote.close();
    }
  }
}
