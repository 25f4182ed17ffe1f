package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code /etc/ld.so.conf} and the files it includes from a file tree. */
final class LdSoConf {
  private static final int MAX_DEPTH = 8;

  private LdSoConf() {}

  /** The library directories listed, in order, as absolute paths. */
  static List<String> directories(FileTree tree) throws IOException {
    List<String> directories = new ArrayList<>();
    read(tree, "/etc/ld.so.conf", directories, 0);
    return directories;
  }

  private static void read(FileTree tree, String file, List<String> out, int depth)
      throws IOException {
    Optional<FileTree.Resolved> resolved = tree.resolve(file);
    if (depth > MAX_DEPTH
        || resolved.isEmpty()
        || resolved.get().entry().type() != LayerEntry.Type.FILE) {
      return;
    }
    String text;
    try (InputStream in = resolved.get().entry().content().open()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String raw : text.split("\n")) {
      String line = raw.replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("include ") || line.startsWith("include\t")) {
        for (String pattern : line.substring(8).trim().split("\\s+")) {
          for (String included : glob(tree, pattern)) {
            read(tree, included, out, depth + 1);
          }
        }
      } else if (line.startsWith("/")) {
        out.add(line.replaceAll("/+$", ""));
      }
    }
  }

  /** Files matching an absolute glob whose wildcards are in the last component only. */
  private static List<String> glob(FileTree tree, String pattern) {
    int slash = pattern.lastIndexOf('/');
    String directory = pattern.substring(0, Math.max(slash, 0));
    String real = tree.realDirectory(directory.isEmpty() ? "/" : directory);
    List<String> matches = new ArrayList<>();
    if (real == null) {
      return matches;
    }
    PathMatcher matcher =
        FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(slash + 1));
    for (String name : tree.list(real)) {
      if (matcher.matches(Path.of(name))) {
        matches.add(directory + "/" + name);
      }
    }
    return matches;
  }
}
