package dev.bundler.apt;

import dev.bundler.layer.LayerEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays a package's files out merged-/usr, as Debian's {@code usrmerge} would: what a package ships
 * under {@code /bin}, {@code /sbin}, {@code /lib*} goes under {@code /usr}, and the top-level names
 * become links ({@code /bin -> usr/bin}). Relative link targets are recomputed so that they still
 * reach the same file. Packages that are merged-/usr by themselves (trixie's {@code base-files}
 * ships the links {@code /bin -> usr/bin}...) pass through: their top-level links are the ones
 * bundler writes anyway.
 */
public final class MergedUsr {
  /** The top-level directories that move under /usr. */
  public static final List<String> MERGED = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

  private MergedUsr() {}

  /** The top-level links. */
  public static List<LayerEntry> links() {
    List<LayerEntry> links = new ArrayList<>();
    for (String dir : MERGED) {
      links.add(LayerEntry.symlink(dir, "usr/" + dir));
    }
    return links;
  }

  /** {@code path} as it lies on a merged-/usr system. */
  static String remap(String path) {
    for (String dir : MERGED) {
      if (path.equals(dir) || path.startsWith(dir + "/")) {
        return "usr/" + path;
      }
    }
    return path;
  }

  /**
   * The entries of a package, merged; the moved top-level directories themselves, and the
   * top-level links to their {@code /usr} places, are dropped ({@link #links()} writes those).
   */
  public static List<LayerEntry> apply(List<LayerEntry> entries) {
    List<LayerEntry> merged = new ArrayList<>(entries.size());
    for (LayerEntry entry : entries) {
      if (MERGED.contains(entry.path()) && (entry.type() == LayerEntry.Type.DIRECTORY
          || entry.type() == LayerEntry.Type.SYMLINK && isUsrLink(entry))) {
        continue;
      }
      String path = remap(entry.path());
      merged.add(switch (entry.type()) {
        case DIRECTORY -> LayerEntry.directory(path, entry.mode(), entry.uid(), entry.gid());
        case FILE -> LayerEntry.file(path, entry.mode(), entry.uid(), entry.gid(), entry.content());
        case HARDLINK -> LayerEntry.hardlink(path, remap(entry.linkTarget()), entry.mode(),
            entry.uid(), entry.gid());
        case SYMLINK -> LayerEntry.symlink(path, target(entry.path(), path, entry.linkTarget()),
            entry.uid(), entry.gid());
      });
    }
    return merged;
  }

  /** Whether a top-level {@code /bin} link points at {@code /usr/bin}, as merged-/usr has it. */
  private static boolean isUsrLink(LayerEntry link) {
    String target = Path.of("/").resolve(link.linkTarget()).normalize().toString();
    return target.equals("/usr/" + link.path());
  }

  /** A relative link target re-aimed from the link's new place at the same (merged) file. */
  private static String target(String oldPath, String newPath, String target) {
    if (target.startsWith("/") || oldPath.equals(newPath)) {
      return target;
    }
    Path oldParent = Path.of("/" + oldPath).getParent();
    String absolute = oldParent.resolve(target).normalize().toString().substring(1);
    String destination = absolute.isEmpty() ? "" : remap(absolute);
    Path newParent = Path.of("/" + newPath).getParent();
    String relative = newParent.relativize(Path.of("/" + destination)).toString();
    return relative.isEmpty() ? "." : relative;
  }
}
