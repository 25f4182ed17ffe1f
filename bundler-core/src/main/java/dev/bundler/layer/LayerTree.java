package dev.bundler.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts layer entries into the one order a reproducible tar needs: sorted by path, every parent
 * directory present before its children, no path twice, and every hard link after the file it
 * links to.
 *
 * <p>Sorting can put a hard link before its target ({@code bin/a} linking to {@code bin/z}). Both
 * names denote the same inode, so the tree swaps them: the first name in order carries the content
 * and the later ones link to it. Extracted, the result is the same file system.
 */
final class LayerTree {
  private static final int DEFAULT_DIRECTORY_MODE = 0755;

  private LayerTree() {}

  /**
   * Returns the entries in writing order.
   *
   * @throws IllegalArgumentException if a path appears twice with different content, a parent is
   *     not a directory, or a hard link's target is not a regular file of the same layer
   */
  static List<LayerEntry> order(Collection<LayerEntry> entries) {
    Map<String, LayerEntry> byPath = new TreeMap<>(LayerTree::comparePaths);
    for (LayerEntry entry : entries) {
      LayerEntry previous = byPath.putIfAbsent(entry.path(), entry);
      if (previous != null && !sameDirectory(previous, entry)) {
        throw new IllegalArgumentException("path " + entry.path() + " appears twice in a layer");
      }
    }
    addMissingParents(byPath);
    relinkHardlinks(byPath);
    return new ArrayList<>(byPath.values());
  }

  /** Orders by path components, so that {@code a/b} sorts before {@code a-b} and {@code a.b}. */
  static int comparePaths(String left, String right) {
    int length = Math.min(left.length(), right.length());
    for (int i = 0; i < length; i++) {
      char a = left.charAt(i);
      char b = right.charAt(i);
      if (a != b) {
        return Character.compare(a == '/' ? '\0' : a, b == '/' ? '\0' : b);
      }
    }
    return Integer.compare(left.length(), right.length());
  }

  private static boolean sameDirectory(LayerEntry a, LayerEntry b) {
    return a.type() == LayerEntry.Type.DIRECTORY
        && b.type() == LayerEntry.Type.DIRECTORY
        && a.mode() == b.mode()
        && a.uid() == b.uid()
        && a.gid() == b.gid();
  }

  private static void addMissingParents(Map<String, LayerEntry> byPath) {
    List<LayerEntry> missing = new ArrayList<>();
    for (String path : byPath.keySet()) {
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        String parent = path.substring(0, slash);
        LayerEntry existing = byPath.get(parent);
        if (existing != null) {
          if (existing.type() != LayerEntry.Type.DIRECTORY) {
            throw new IllegalArgumentException(
                "parent " + parent + " of " + path + " is not a directory in the layer");
          }
          break;
        }
        missing.add(
            LayerEntry.directory(parent, DEFAULT_DIRECTORY_MODE, LayerEntry.ROOT, LayerEntry.ROOT));
      }
    }
    for (LayerEntry directory : missing) {
      byPath.putIfAbsent(directory.path(), directory);
    }
  }

  private static void relinkHardlinks(Map<String, LayerEntry> byPath) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (LayerEntry entry : byPath.values()) {
      if (entry.type() == LayerEntry.Type.HARDLINK) {
        LayerEntry target = byPath.get(entry.linkTarget());
        if (target == null || target.type() != LayerEntry.Type.FILE) {
          throw new IllegalArgumentException(
              "hard link "
                  + entry.path()
                  + " points to "
                  + entry.linkTarget()
                  + ", which is not a regular file of the same layer");
        }
        groups.computeIfAbsent(target.path(), t -> new ArrayList<>()).add(entry.path());
      }
    }
    for (Map.Entry<String, List<String>> group : groups.entrySet()) {
      LayerEntry file = byPath.get(group.getKey());
      String first = group.getKey();
      for (String link : group.getValue()) {
        if (comparePaths(link, first) < 0) {
          first = link;
        }
      }
      if (first.equals(file.path())) {
        continue;
      }
      byPath.put(
          first, LayerEntry.file(first, file.mode(), file.uid(), file.gid(), file.content()));
      for (String name : group.getValue()) {
        if (!name.equals(first)) {
          byPath.put(name, LayerEntry.hardlink(name, first, file.mode(), file.uid(), file.gid()));
        }
      }
      byPath.put(
          file.path(),
          LayerEntry.hardlink(file.path(), first, file.mode(), file.uid(), file.gid()));
    }
  }
}
