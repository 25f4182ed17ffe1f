package dev.bundler.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.Layer;
import dev.bundler.layer.VerifiedBlobs;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an {@link ImagePlan} as an OCI image layout in a tar archive ({@code podman load},
 * {@code skopeo oci-archive:}, {@code docker load} of recent versions), streaming every layer
 * blob from bundler's cache into it once and checking it on the way.
 *
 * <p>The small files come first ({@code oci-layout}, {@code index.json}, the manifest, the
 * config), so that whether an existing archive holds a given image is told by reading its first
 * kilobytes ({@link #holds}).
 */
final class OciArchive {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  /** The tar record (and block) size: no padding beyond the two end-of-archive records. */
  private static final int RECORD = 512;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] LAYOUT =
      "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private OciArchive() {}

  /**
   * Writes the archive of {@code plan}, named {@code reference}, to {@code tarball}: into a
   * hidden sibling first, renamed over {@code tarball} only once complete.
   *
   * @throws dev.bundler.layer.CorruptBlobException if a layer blob is not what its record says
   *     (nothing is then left at {@code tarball}'s place)
   */
  static void write(ImagePlan plan, String reference, Path tarball) throws IOException {
    Path directory = tarball.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path partial = Files.createTempFile(directory, ImageOutputs.PARTIAL_PREFIX, ".tar");
    // Locked while written and until renamed: a partial file nobody locks is a killed build's,
    // which the next build removes (ImageOutputs.sweepPartials).
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      TarArchiveOutputStream tar = new TarArchiveOutputStream(new FilterOutputStream(file) {
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
          flush(); // the channel, and its lock, stay open until the file is renamed
        }
      }, RECORD);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      bytes(tar, "oci-layout", LAYOUT);
      bytes(tar, "index.json", index(plan, reference));
      bytes(tar, blobName(plan.digest()), plan.manifest());
      bytes(tar, blobName(plan.imageId()), plan.config());
      Set<String> written = new HashSet<>();
      for (ImageLayer layer : plan.layers()) {
        if (written.add(layer.layer().digest())) {
          blob(tar, layer.layer());
        }
      }
      tar.finish();
      tar.close();
      AtomicFiles.publicMode(partial);
      AtomicFiles.move(partial, tarball);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Whether {@code tarball} is the archive {@link #write} makes of {@code plan} under {@code
   * reference}: it has the size that archive has and starts with the same index, manifest and
   * config. Reads only the archive's first entries.
   */
  static boolean holds(Path tarball, ImagePlan plan, String reference) {
    try {
      if (!Files.isRegularFile(tarball) || Files.size(tarball) != size(plan, reference)) {
        return false;
      }
      try (InputStream in = Files.newInputStream(tarball);
          TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
        byte[][] expected = {LAYOUT, index(plan, reference), plan.manifest(), plan.config()};
        for (byte[] content : expected) {
          TarArchiveEntry entry = tar.getNextEntry();
          if (entry == null || entry.getSize() != content.length
              || !Arrays.equals(tar.readNBytes(content.length), content)) {
            return false;
          }
        }
        return true;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The size of the archive {@link #write} makes: a 512-byte header per entry, contents padded
   * to 512 bytes, and two zero records.
   */
  static long size(ImagePlan plan, String reference) throws IOException {
    long size = entrySize(LAYOUT.length) + entrySize(index(plan, reference).length)
        + entrySize(plan.manifest().length) + entrySize(plan.config().length);
    Set<String> seen = new HashSet<>();
    for (ImageLayer layer : plan.layers()) {
      if (seen.add(layer.layer().digest())) {
        size += entrySize(layer.layer().size());
      }
    }
    return size + 2 * RECORD;
  }

  private static long entrySize(long content) {
    return 512 + (content + 511) / 512 * 512;
  }

  /** The manifest digest an archive's {@code index.json} names, or {@code null}. */
  static String manifestDigest(Path tarball) {
    try (InputStream in = Files.newInputStream(tarball);
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        if (entry.getName().equals("index.json")) {
          JsonNode index = JSON.readTree(tar.readNBytes((int) Math.min(entry.getSize(), 1 << 20)));
          return index.at("/manifests/0/digest").asText(null);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static byte[] index(ImagePlan plan, String reference) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ObjectNode manifest = index.putArray("manifests").addObject();
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put("digest", plan.digest());
    manifest.put("size", plan.manifest().length);
    manifest.putObject("annotations").put(REF_NAME, reference);
    return JSON.writeValueAsBytes(index);
  }

  private static String blobName(String digest) {
    return "blobs/sha256/" + digest.substring("sha256:".length());
  }

  private static void bytes(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    tar.putArchiveEntry(entry(name, content.length));
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void blob(TarArchiveOutputStream tar, Layer layer) throws IOException {
    tar.putArchiveEntry(entry(blobName(layer.digest()), layer.size()));
    VerifiedBlobs.copy(layer, tar);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0644);
    entry.setModTime(0);
    entry.setUserId(0);
    entry.setGroupId(0);
    return entry;
  }
}
