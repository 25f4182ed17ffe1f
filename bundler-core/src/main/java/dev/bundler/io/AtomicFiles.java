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
  private AtomicFiles() {}

  /** Renames {@code from} to {@code to}, replacing it; atomically where the file system can. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code content} to {@code file} through a temporary sibling. */
  public static void write(Path file, byte[] content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path partial = Files.createTempFile(directory, ".partial-", ".tmp");
    try {
      Files.write(partial, content);
      move(partial, file);
    } finally {
      Files.deleteIfExists(partial);
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
