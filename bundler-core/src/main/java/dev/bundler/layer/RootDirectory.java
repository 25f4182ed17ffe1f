package dev.bundler.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Layer entries laid out as a real directory tree, the way an overlay of those layers would show
 * them: a root file system a container runtime can run directly ({@code podman run --rootfs}),
 * with no image to compress or load. Files whose content is already a file on disk (unpacked
 * Debian packages) are hard-linked, not copied.
 */
public final class RootDirectory {
  private RootDirectory() {}

  /**
   * Writes {@code layers} (lowest first; a later entry replaces an earlier one of the same path)
   * into {@code directory}, which must be empty or absent. Owners are set when this process may
   * (it runs as root); modes, setuid bits included, always.
   */
  public static void write(List<? extends Collection<LayerEntry>> layers, Path directory)
      throws IOException {
    List<LayerEntry> ordered = LayerTree.order(overlay(layers));
    Files.createDirectories(directory);
    boolean chown = true;
    for (LayerEntry entry : ordered) {
      try {
        chown = create(directory, entry, chown);
      } catch (java.nio.file.InvalidPathException unmappable) {
        // A name the JVM's file name encoding (LC_ALL=C) cannot spell: a container root can do
        // without it (such names are certificates' and translations').
      }
    }
    // Directory modes last, deepest first, so that a read-only directory is filled before.
    for (int i = ordered.size() - 1; i >= 0; i--) {
      LayerEntry entry = ordered.get(i);
      if (entry.type() == LayerEntry.Type.DIRECTORY) {
        try {
          Files.setAttribute(directory.resolve(entry.path()), "unix:mode", entry.mode());
        } catch (java.nio.file.InvalidPathException unmappable) {
          // skipped above
        }
      }
    }
  }

  /** Creates one entry; returns whether owners can still be set. */
  private static boolean create(Path directory, LayerEntry entry, boolean chown) throws IOException {
    Path path = directory.resolve(entry.path());
    switch (entry.type()) {
      case DIRECTORY -> Files.createDirectories(path);
      case FILE -> file(entry, path);
      case SYMLINK -> Files.createSymbolicLink(path, Path.of(entry.linkTarget()));
      case HARDLINK -> Files.createLink(path, directory.resolve(entry.linkTarget()));
    }
    if (chown) {
      try {
        Files.setAttribute(path, "unix:uid", entry.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", entry.gid(), LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.FileSystemException notPermitted) {
        chown = false; // not root: a rootless runtime maps the owner instead
      }
    }
    if (entry.type() == LayerEntry.Type.FILE) {
      Files.setAttribute(path, "unix:mode", entry.mode());
    }
    return chown;
  }

  /**
   * A digest of the tree under {@code directory}: every path with its type, mode, owner, link
   * target and the SHA-256 of its content. Two trees with the same digest are the same tree; it
   * is how a cached root directory is checked before a container runs on it.
   */
  public static String digest(Path directory) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = walk.filter(p -> !p.equals(directory)).map(directory::relativize).sorted().toList();
    }
    List<String> lines = paths.parallelStream().map(relative -> {
      try {
        return line(directory, relative);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
    MessageDigest digest = Digests.sha256();
    for (String line : lines) {
      digest.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return Digests.hex(digest.digest());
  }

  /**
   * A digest of the tree's state as the file system keeps it, read without opening a file: every
   * path with its inode, size, modification and change times. Any write to a file, or a change of
   * its mode or owner, changes its change time (which a process cannot set back), so an equal
   * digest means the tree was not touched since it was taken; {@link #digest} tells what it holds.
   */
  public static String stamps(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        Map<String, Object> attributes =
            Files.readAttributes(path, "unix:ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        lines.add(directory.relativize(path) + "\0" + attributes.get("ino") + " "
            + attributes.get("size") + " " + attributes.get("lastModifiedTime") + " "
            + attributes.get("ctime") + "\n");
      }
    }
    lines.sort(null);
    MessageDigest digest = Digests.sha256();
    lines.forEach(line -> digest.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return Digests.hex(digest.digest());
  }

  private static String line(Path directory, Path relative) throws IOException {
    Path path = directory.resolve(relative);
    Map<String, Object> attributes =
        Files.readAttributes(path, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
    int mode = (int) attributes.get("mode");
    StringBuilder line = new StringBuilder(relative.toString()).append('\0')
        .append(Integer.toOctalString(mode)).append(' ')
        .append(attributes.get("uid")).append(':').append(attributes.get("gid")).append(' ');
    if (Files.isSymbolicLink(path)) {
      line.append("-> ").append(Files.readSymbolicLink(path));
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      line.append(attributes.get("size")).append(' ').append(Digests.sha256Hex(path));
    }
    return line.append('\n').toString();
  }

  /** The entries an overlay of {@code layers} shows: later paths replace earlier ones. */
  public static Collection<LayerEntry> overlay(List<? extends Collection<LayerEntry>> layers) {
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    for (Collection<LayerEntry> layer : layers) {
      for (LayerEntry entry : layer) {
        LayerEntry previous = byPath.put(entry.path(), entry);
        if (previous != null && previous.type() == LayerEntry.Type.DIRECTORY
            && entry.type() != LayerEntry.Type.DIRECTORY) {
          String prefix = entry.path() + "/";
          for (Iterator<String> it = byPath.keySet().iterator(); it.hasNext(); ) {
            if (it.next().startsWith(prefix)) {
              it.remove();
            }
          }
        }
      }
    }
    return new ArrayList<>(byPath.values());
  }

  private static void file(LayerEntry entry, Path path) throws IOException {
    Path source = entry.content().file();
    if (source != null && Files.size(source) == entry.size()) {
      try {
        Files.createLink(path, source);
        return;
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (IOException | UnsupportedOperationException e) {
        // another file system: copy instead
      }
    }
    try (InputStream in = entry.content().open()) {
      Files.copy(in, path);
    }
  }
}
