package dev.bundler.testkit;

import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a directory on disk into layer entries (root-owned, modes kept), for tests. */
public final class DirectoryEntries {
  private DirectoryEntries() {}

  public static List<LayerEntry> of(Path root) throws IOException {
    List<LayerEntry> entries = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (path.equals(root)) {
          continue;
        }
        String name = root.relativize(path).toString();
        int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        if (Files.isSymbolicLink(path)) {
          entries.add(LayerEntry.symlink(name, Files.readSymbolicLink(path).toString()));
        } else if (Files.isDirectory(path)) {
          entries.add(LayerEntry.directory(name, mode, 0, 0));
        } else {
          entries.add(LayerEntry.file(name, mode, 0, 0, Content.of(path)));
        }
      }
    }
    return entries;
  }
}
