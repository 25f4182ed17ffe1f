package dev.bundler.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks on the keys of a shared cache, so that two builds needing the same entry at once (threads
 * of a {@code mvn -T} reactor, or processes sharing a CI cache) do the work once: the second waits
 * for the first and then finds the result. A lock is a thread lock within this JVM and a file lock
 * between processes; correctness never depends on it, since every cache write is atomic anyway.
 */
public final class KeyLocks {
  private static final ConcurrentHashMap<Path, ReentrantLock> THREAD_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;

  public KeyLocks(Path directory) {
    this.directory = directory;
  }

  /** Work done while holding a key's lock. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E, IOException;
  }

  /** Runs {@code work} holding the lock of {@code key}. */
  public <T, E extends Exception> T with(String key, Work<T, E> work) throws E, IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(key + ".lock").toAbsolutePath();
    ReentrantLock threadLock = THREAD_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    threadLock.lock();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return work.run();
    } finally {
      threadLock.unlock();
    }
  }
}
