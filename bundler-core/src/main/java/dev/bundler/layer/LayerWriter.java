package dev.bundler.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes layer entries as a reproducible, gzip-compressed tar blob.
 *
 * <p>The same entries always give the same bytes: entries in {@link LayerTree} order, one fixed
 * modification time, numeric owners without user or group names, permission bits exactly as
 * given (setuid, setgid and sticky included), POSIX (PAX) headers for long names. The digest of the
 * blob and of the uncompressed tar are computed while writing, in one pass.
 */
public final class LayerWriter {

  /** The modification time of every entry: one second after the epoch, as Jib uses. */
  public static final Instant DEFAULT_MODIFICATION_TIME = Instant.ofEpochSecond(1);

  private static final int BUFFER = 1 << 16;

  private final Instant modificationTime;
  private final int compressionLevel;

  private LayerWriter(Instant modificationTime, int compressionLevel) {
    this.modificationTime = modificationTime;
    this.compressionLevel = compressionLevel;
  }

  /** A writer with the default timestamp and gzip level 6. */
  public static LayerWriter create() {
    return new LayerWriter(DEFAULT_MODIFICATION_TIME, 6);
  }

  /** A writer stamping every entry with {@code time} instead of the default. */
  public LayerWriter withModificationTime(Instant time) {
    return new LayerWriter(time, compressionLevel);
  }

  /** A writer using gzip level {@code level} (1 fastest to 9 smallest). */
  public LayerWriter withCompressionLevel(int level) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("gzip level " + level + " is not between 1 and 9");
    }
    return new LayerWriter(modificationTime, level);
  }

  /**
   * Writes {@code entries} to {@code blob} (replacing it) and returns the written layer.
   *
   * @throws IllegalArgumentException if the entries do not form a valid tree (see {@link
   *     LayerTree})
   * @throws IOException if reading a content or writing the blob fails
   */
  public Layer write(Collection<LayerEntry> entries, Path blob) throws IOException {
    List<LayerEntry> ordered = LayerTree.order(entries);
    MessageDigest compressed = Digests.sha256();
    MessageDigest uncompressed = Digests.sha256();
    try (OutputStream file = Files.newOutputStream(blob);
        DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
        GzipOutput gzip = new GzipOutput(compressedDigest, compressionLevel);
        DigestOutputStream tarDigest = new DigestOutputStream(gzip, uncompressed)) {
      tar(ordered, tarDigest);
    }
    return new Layer(
        blob,
        "sha256:" + Digests.hex(compressed.digest()),
        "sha256:" + Digests.hex(uncompressed.digest()),
        Files.size(blob));
  }

  /**
   * Writes {@code entries} as an uncompressed tar to {@code out} (left open): the same archive a
   * layer blob holds, for a consumer that never needs it compressed (a container engine
   * importing a root file system).
   */
  public void writeTar(Collection<LayerEntry> entries, OutputStream out) throws IOException {
    OutputStream unclosable = new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
    tar(LayerTree.order(entries), unclosable);
  }

  private void tar(List<LayerEntry> ordered, OutputStream out) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, BUFFER, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      byte[] buffer = new byte[BUFFER];
      for (LayerEntry entry : ordered) {
        tar.putArchiveEntry(header(entry));
        if (entry.type() == LayerEntry.Type.FILE) {
          copy(entry, tar, buffer);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  private TarArchiveEntry header(LayerEntry entry) {
    TarArchiveEntry header =
        switch (entry.type()) {
          case DIRECTORY -> new TarArchiveEntry(entry.path() + "/", TarConstants.LF_DIR);
          case FILE -> new TarArchiveEntry(entry.path(), TarConstants.LF_NORMAL);
          case SYMLINK -> new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK);
          case HARDLINK -> new TarArchiveEntry(entry.path(), TarConstants.LF_LINK);
        };
    if (entry.linkTarget() != null) {
      header.setLinkName(entry.linkTarget());
    }
    header.setMode(entry.mode());
    header.setUserId(entry.uid());
    header.setGroupId(entry.gid());
    header.setUserName("");
    header.setGroupName("");
    header.setModTime(modificationTime.toEpochMilli());
    header.setSize(entry.size());
    return header;
  }

  private static void copy(LayerEntry entry, OutputStream out, byte[] buffer) throws IOException {
    long expected = entry.size();
    long copied = 0;
    try (InputStream in = entry.content().open()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        copied += n;
        if (copied > expected) {
          break;
        }
        out.write(buffer, 0, n);
      }
    }
    if (copied != expected) {
      throw new IOException(
          "content of " + entry.path() + " changed while writing: expected " + expected
              + " bytes, read " + copied);
    }
  }
}
