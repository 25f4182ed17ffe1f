package dev.bundler.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that appear whole or not at all: written under a temporary name in the same directory,
 * then renamed over the destination. Readers, and concurrent writers of the same content, never
 * see a partial file.
 */
public final class AtomicFiles {
  /** How a file being written is named until it is renamed into place. */
  public static final String PARTIAL_PREFIX = ".bundler-partial-";

  private AtomicFiles() {}

  /** Renames {@code from} to {@code to}, replacing it; atomically where the file system can. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code content} to {@code file} (mode 0644) through a temporary sibling. */
  public static void write(Path file, byte[] content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path partial = Files.createTempFile(directory, PARTIAL_PREFIX, ".tmp");
    try {
      Files.write(partial, content);
      publicMode(partial);
      move(partial, file);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Copies {@code from} to {@code to} (mode 0644) through a temporary sibling: a reader of
   * {@code to} meanwhile finds the old file or the new one, never none or half of one.
   */
  public static void copy(Path from, Path to) throws IOException {
    Path directory = to.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path partial = Files.createTempFile(directory, PARTIAL_PREFIX, ".tmp");
    try {
      Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
      publicMode(partial);
      move(partial, to);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Gives a file made as a temporary one (mode 0600) the mode of an ordinary output, 0644:
   * outputs and cache entries are read by other tools and users.
   */
  public static void publicMode(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException notPosix) {
      // nothing to do on a file system without POSIX modes
    }
  }

  /**
   * Whether no process holds a lock on {@code file}: a partial file its writer locks while it
   * writes is, when free, a killed writer's. A file that cannot be opened counts as held.
   */
  public static boolean unlocked(Path file) {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (java.nio.channels.OverlappingFileLockException held) {
      return false; // held by a writer in this JVM
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes a directory tree, best effort: scratch space never fails a build. */
  public static void deleteRecursively(Path directory) {
    if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // left for bundler:purge
        }
      });
    } catch (IOException ignored) {
      // left for bundler:purge
    }
  }
}
