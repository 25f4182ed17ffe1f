package dev.bundler.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A build's temporary directory, under the cache's {@code tmp/}: everything a build unpacks or
 * writes on the way (Debian packages, a base image's layers, container inputs) goes there and
 * nowhere else, and is removed when the build ends. A build killed before it could clean up
 * leaves its directory unlocked, and the next build removes it ({@link #sweep}).
 */
public final class ScratchSpace implements AutoCloseable {
  /** Partial files in the cache's other directories older than this are a killed build's. */
  private static final Duration STALE = Duration.ofHours(1);

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private ScratchSpace(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /** A new scratch directory under {@code cache/tmp}, after removing what killed builds left. */
  public static ScratchSpace create(Path cache) throws IOException {
    Path tmp = Files.createDirectories(cache.resolve("tmp"));
    sweep(cache);
    Path directory = Files.createTempDirectory(tmp, "build-");
    FileChannel channel = FileChannel.open(directory.resolveSibling(directory.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new ScratchSpace(directory, channel, channel.lock());
  }

  public Path directory() {
    return directory;
  }

  /**
   * Removes the scratch directories of builds that no longer run (their lock is free), and
   * partial files older than an hour in the cache's other temporary directories.
   */
  public static void sweep(Path cache) throws IOException {
    Path tmp = cache.resolve("tmp");
    if (Files.isDirectory(tmp)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (name.endsWith(".lock")) {
            Path scratch = entry.resolveSibling(name.substring(0, name.length() - 5));
            if (AtomicFiles.unlocked(entry)) {
              AtomicFiles.deleteRecursively(scratch);
              Files.deleteIfExists(entry);
            }
          } else if (!Files.exists(entry.resolveSibling(name + ".lock")) && old(entry)) {
            AtomicFiles.deleteRecursively(entry);
          }
        }
      }
    }
    for (Path partials : List.of(cache.resolve("layers").resolve("tmp"),
        cache.resolve("debian").resolve("tmp"))) {
      if (Files.isDirectory(partials)) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partials)) {
          for (Path entry : entries) {
            if (old(entry)) {
              AtomicFiles.deleteRecursively(entry);
            }
          }
        }
      }
    }
  }

  private static boolean old(Path entry) {
    try {
      FileTime modified = Files.getLastModifiedTime(entry);
      return modified.toInstant().isBefore(Instant.now().minus(STALE));
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the directory and releases its lock. */
  @Override
  public void close() throws IOException {
    AtomicFiles.deleteRecursively(directory);
    try {
      lock.release();
      channel.close();
    } finally {
      Files.deleteIfExists(directory.resolveSibling(directory.getFileName() + ".lock"));
    }
  }
}
