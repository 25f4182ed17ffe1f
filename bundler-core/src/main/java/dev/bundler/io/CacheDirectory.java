package dev.bundler.io;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * bundler's cache directory: marked with a {@code CACHEDIR.TAG} (so backup tools skip it, and so
 * that {@code bundler:purge} deletes only a directory bundler made), and purged whole.
 */
public final class CacheDirectory {
  static final String TAG = "CACHEDIR.TAG";
  private static final String SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55";
  private static final String CONTENT = SIGNATURE + "\n"
      + "# This file is a cache directory tag created by bundler.\n"
      + "# It holds layers, downloads, wheelhouses and compiler images; mvn bundler:purge removes it.\n";

  private CacheDirectory() {}

  /** Creates {@code root} if needed and tags it as bundler's cache. */
  public static void mark(Path root) throws IOException {
    Files.createDirectories(root);
    Path tag = root.resolve(TAG);
    if (!Files.isRegularFile(tag)) {
      AtomicFiles.write(tag, CONTENT.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The user's error for a cache directory bundler cannot use: it names a file, lies under one,
   * or cannot be written.
   */
  public static InvalidInputException unusable(Path root, java.nio.file.FileSystemException e) {
    String why = Files.exists(root) && !Files.isDirectory(root) ? "it is a file"
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied on " + e.getFile()
        : e instanceof java.nio.file.FileAlreadyExistsException
            || e instanceof java.nio.file.NotDirectoryException
            ? e.getFile() + " is a file, not a directory"
        : e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
    return new InvalidInputException(Parameter.CACHE_DIRECTORY, "bundler's cache directory " + root
        + " cannot be used (" + why + "): set " + Parameter.CACHE_DIRECTORY + " to a directory you "
        + "can write "
        + "(it is made if missing)", e);
  }

  /** What bundler keeps in its cache; a cache made before the tag existed holds only these. */
  private static final java.util.Set<String> ENTRIES = java.util.Set.of(
      "layers", "debian", "wheelhouses", "compiler", "podman", "jib", "tmp");

  /**
   * Whether {@code root} is bundler's cache: it carries the tag bundler writes, or (made by a
   * bundler from before the tag) holds nothing but bundler's own directories.
   */
  public static boolean isBundlers(Path root) throws IOException {
    Path tag = root.resolve(TAG);
    if (Files.isRegularFile(tag)) {
      String text = Files.readString(tag, StandardCharsets.UTF_8);
      return text.startsWith(SIGNATURE) && text.contains("created by bundler");
    }
    try (Stream<Path> entries = Files.list(root)) {
      List<Path> all = entries.toList();
      return !all.isEmpty() && all.stream().allMatch(entry -> Files.isDirectory(entry,
          java.nio.file.LinkOption.NOFOLLOW_LINKS) && ENTRIES.contains(entry.getFileName().toString()));
    }
  }

  /**
   * Deletes the cache at {@code root} and everything in it, and returns how many bytes were
   * freed. A directory bundler did not tag is left alone.
   *
   * @throws InvalidInputException if {@code root} holds files but is not bundler's cache
   * @throws IOException naming what could not be deleted
   */
  public static long purge(Path root) throws InvalidInputException, IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    if (!isBundlers(root)) {
      try (Stream<Path> entries = Files.list(root)) {
        if (entries.findAny().isPresent()) {
          throw new InvalidInputException(Parameter.CACHE_DIRECTORY, "The directory " + root
              + " is not bundler's cache (no CACHEDIR.TAG written by bundler, and not only "
              + "bundler's directories): it is left alone. Check " + Parameter.CACHE_DIRECTORY
              + ", or delete the directory yourself");
        }
      }
    }
    long[] bytes = {0};
    List<String> failures = new ArrayList<>();
    // The tag goes last: a purge cut short can be run again.
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (!file.equals(root.resolve(TAG))) {
          delete(file, attributes.size());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path directory, IOException error) {
        if (!directory.equals(root)) {
          delete(directory, 0);
        }
        return FileVisitResult.CONTINUE;
      }

      private void delete(Path path, long size) {
        try {
          Files.delete(path);
          bytes[0] += size;
        } catch (IOException e) {
          failures.add(path + " (" + e + ")");
        }
      }
    });
    if (!failures.isEmpty()) {
      throw new IOException("Could not delete " + failures.size() + " file(s) of bundler's cache "
          + root + ", first " + failures.get(0) + ". Files a rootless podman wrote may need "
          + "'podman unshare rm -rf " + root + "'");
    }
    Files.deleteIfExists(root.resolve(TAG));
    Files.deleteIfExists(root);
    return bytes[0];
  }
}
