package dev.bundler.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A directory of plain files (a wheelhouse, compiled bytecode) as one reproducible blob, and
 * back: how such results travel through a registry cache. Unpacking refuses anything but
 * directories and regular files inside the target.
 */
public final class DirectoryArchives {
  private DirectoryArchives() {}

  /** Packs the directories and regular files under {@code directory} into {@code blob}. */
  public static Layer pack(Path directory, Path blob) throws IOException {
    List<LayerEntry> entries = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> walk = Files.walk(directory)) {
        for (Path path : walk.filter(p -> !p.equals(directory)).sorted().toList()) {
          String name = directory.relativize(path).toString();
          if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            entries.add(LayerEntry.directory(name, 0755, 0, 0));
          } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            entries.add(LayerEntry.file(name, 0644, 0, 0, Content.of(path)));
          } else {
            throw new IOException(path + " is neither a file nor a directory");
          }
        }
      }
    }
    return LayerWriter.create().write(entries, blob);
  }

  /**
   * Unpacks a blob {@link #pack} made into {@code directory}, which must not exist yet.
   *
   * @throws IOException if the blob holds a link, a special file or a path outside
   */
  public static void unpack(Path blob, Path directory) throws IOException {
    Files.createDirectories(directory);
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(blob)), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String name;
        try {
          name = LayerEntry.normalize(entry.getName());
        } catch (IllegalArgumentException e) {
          throw new IOException("the archive " + blob + " has an entry " + entry.getName()
              + " outside its root");
        }
        Path target = directory.resolve(name).normalize();
        if (!target.startsWith(directory)) {
          throw new IOException("the archive " + blob + " has an entry " + name + " outside its root");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile() && !entry.isLink() && !entry.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
        } else {
          throw new IOException("the archive " + blob + " has a link or special file " + name);
        }
      }
    }
  }
}
