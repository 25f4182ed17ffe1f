package dev.bundler.testkit;

import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** Materializes layer entries into a directory, for comparisons with what real tools produce. */
public final class LayerEntries {
  private LayerEntries() {}

  public static void extractTo(Collection<LayerEntry> entries, Path root) throws IOException {
    for (LayerEntry entry : entries) {
      Path target = root.resolve(entry.path());
      Files.createDirectories(target.getParent());
      switch (entry.type()) {
        case DIRECTORY -> Files.createDirectories(target);
        case FILE -> {
          try (InputStream in = entry.content().open()) {
            Files.copy(in, target);
          }
          Files.setPosixFilePermissions(target, permissions(entry.mode()));
        }
        case SYMLINK -> Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
        case HARDLINK -> Files.createLink(target, root.resolve(entry.linkTarget()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }
}
