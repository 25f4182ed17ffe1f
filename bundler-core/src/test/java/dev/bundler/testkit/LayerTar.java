package dev.bundler.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a written layer blob (a gzip-compressed tar) back. */
public final class LayerTar {
  private LayerTar() {}

  /** The entries of {@code blob} in order: path to {@code -> TARGET} for links, else {@code ""}. */
  public static Map<String, String> entries(Path blob) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        entries.put(entry.getName(), entry.isSymbolicLink() ? "-> " + entry.getLinkName() : "");
      }
    }
    return entries;
  }
}
