package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The file system an image's layers add up to, before it exists anywhere: paths to entries, with
 * symbolic links resolved the way the kernel would (absolute targets from the root, relative ones
 * from the link's directory, intermediate directory links followed).
 *
 * <p>Maintainer-script effects (the linker cache, alternatives, the CA bundle) are computed on it.
 */
public final class FileTree {
  private static final int MAX_LINKS = 40;

  private final Map<String, LayerEntry> entries = new TreeMap<>();

  private FileTree() {}

  /**
   * A tree of {@code layers}, lowest first; later entries replace earlier ones at a path. Parent
   * directories a layer implies without listing are present, as a tar extraction would make them.
   */
  public static FileTree of(Collection<? extends Collection<LayerEntry>> layers) {
    FileTree tree = new FileTree();
    for (Collection<LayerEntry> layer : layers) {
      for (LayerEntry entry : layer) {
        tree.entries.put(entry.path(), entry);
        String path = entry.path();
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
          String parent = path.substring(0, slash);
          if (tree.entries.putIfAbsent(parent, LayerEntry.directory(parent, 0755, 0, 0)) != null) {
            break;
          }
        }
      }
    }
    return tree;
  }

  /** The entry at exactly {@code path} (normalized, links not followed). */
  public Optional<LayerEntry> get(String path) {
    return Optional.ofNullable(entries.get(LayerEntry.normalize(path)));
  }

  /**
   * The entry {@code path} leads to after following every symbolic link, with its real path; a
   * hard link resolves to the file it links to. Empty if anything on the way is missing or the
   * links loop.
   */
  public Optional<Resolved> resolve(String path) {
    String real = realPath(LayerEntry.normalize(path), 0);
    if (real == null) {
      return Optional.empty();
    }
    LayerEntry entry = entries.get(real);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.type() == LayerEntry.Type.HARDLINK) {
      LayerEntry target = entries.get(entry.linkTarget());
      return target == null ? Optional.empty() : Optional.of(new Resolved(real, target));
    }
    return Optional.of(new Resolved(real, entry));
  }

  /** The names in directory {@code directory} (a real, link-free path), sorted. */
  public List<String> list(String directory) {
    String prefix = directory.isEmpty() ? "" : LayerEntry.normalize(directory) + "/";
    List<String> names = new ArrayList<>();
    for (String path : ((TreeMap<String, LayerEntry>) entries).tailMap(prefix, false).keySet()) {
      if (!path.startsWith(prefix)) {
        break;
      }
      String rest = path.substring(prefix.length());
      if (!rest.isEmpty() && rest.indexOf('/') < 0) {
        names.add(rest);
      }
    }
    return names;
  }

  /** The link-free path of {@code path}, following links on every component, or null. */
  public String realDirectory(String path) {
    if (path.replace("/", "").isEmpty()) {
      return "";
    }
    String real = realPath(LayerEntry.normalize(path), 0);
    if (real == null) {
      return null;
    }
    LayerEntry entry = entries.get(real);
    return entry != null && entry.type() == LayerEntry.Type.DIRECTORY ? real : null;
  }

  private String realPath(String path, int depth) {
    if (depth > MAX_LINKS) {
      return null;
    }
    String[] parts = path.split("/");
    String current = "";
    for (int i = 0; i < parts.length; i++) {
      String candidate = current.isEmpty() ? parts[i] : current + "/" + parts[i];
      LayerEntry entry = entries.get(candidate);
      if (entry != null && entry.type() == LayerEntry.Type.SYMLINK) {
        String target = entry.linkTarget();
        String base = target.startsWith("/") ? "" : current;
        String joined = join(base, target);
        if (joined == null) {
          return null;
        }
        String resolvedPrefix = joined.isEmpty() ? "" : realPath(joined, depth + 1);
        if (resolvedPrefix == null) {
          return null;
        }
        current = resolvedPrefix;
      } else {
        current = candidate;
      }
    }
    return current;
  }

  /** Joins {@code base} and a link target, resolving {@code .} and {@code ..} lexically. */
  private static String join(String base, String target) {
    List<String> parts = new ArrayList<>();
    if (!base.isEmpty()) {
      parts.addAll(List.of(base.split("/")));
    }
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** An entry found by {@link #resolve}, with the link-free path it was found at. */
  public record Resolved(String path, LayerEntry entry) {}
}
