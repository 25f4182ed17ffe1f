package dev.bundler.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SHA-256 helpers shared by layers, caches and lockfiles. */
public final class Digests {
  private Digests() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  public static String sha256Hex(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  /** One read buffer per thread: hashing a tree of small files allocates nothing per file. */
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1 << 16]);

  /** Files from this size on are hashed once per process while they stay the same file. */
  private static final long REMEMBERED_FROM = 256 << 10;

  private static final int REMEMBERED_AT_MOST = 4096;

  /** A file as the kernel sees it: its change time moves with every write to it. */
  private record Stamp(Object device, Object inode, Object size, Object modified, Object changed) {}

  private static final Map<Stamp, String> REMEMBERED = new ConcurrentHashMap<>();

  /**
   * Lower-case hex SHA-256 of a file's content. A file of 256 KiB or more is read once per
   * process while its device, inode, size, modification and change times stay the same: a build
   * keys several caches by the same sdists and wheels (an application-only change hashed 81 MB,
   * the Django sdist four times), and no write to a file leaves its change time as it was.
   */
  public static String sha256Hex(Path file) throws IOException {
    Stamp stamp = stamp(file);
    if (stamp == null) {
      return read(file);
    }
    String known = REMEMBERED.get(stamp);
    if (known != null) {
      return known;
    }
    String hex = read(file);
    if (stamp.equals(stamp(file))) { // not written to while it was read
      if (REMEMBERED.size() >= REMEMBERED_AT_MOST) {
        REMEMBERED.clear();
      }
      REMEMBERED.put(stamp, hex);
    }
    return hex;
  }

  /** The file's stamp, or {@code null} for a file too small to remember. */
  private static Stamp stamp(Path file) throws IOException {
    Map<String, Object> attributes =
        Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
    if (((Number) attributes.get("size")).longValue() < REMEMBERED_FROM) {
      return null;
    }
    return new Stamp(attributes.get("dev"), attributes.get("ino"), attributes.get("size"),
        attributes.get("lastModifiedTime"), attributes.get("ctime"));
  }

  private static String read(Path file) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = BUFFERS.get();
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return hex(digest.digest());
  }
}
