package dev.bundler.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the records bundler keeps in its cache (which blob a layer key maps to, which packages a
 * resolution chose, which wheels a wheelhouse holds) with an HMAC, so that a record written by
 * anyone but this user's bundler is treated as missing.
 *
 * <p>Blobs are content-addressed and checked against their digest on the read that uses them;
 * records are what says which digest to expect, so they are the part an attacker with write
 * access to a shared or restored cache would forge. The key lives outside the cache: in the
 * environment variable {@code BUNDLER_CACHE_KEY} (a CI secret, so that a cache persisted between
 * CI runs stays usable), else in {@code ~/.config/bundler/cache.key}, created on first use with
 * mode 0600. A cache copied from another machine without its key is rebuilt, never trusted.
 */
public final class CacheSeal {
  /** The environment variable holding the key material, for CI runners that start empty. */
  public static final String KEY_VARIABLE = "BUNDLER_CACHE_KEY";

  private static final String ALGORITHM = "HmacSHA256";
  private static final String PREFIX = "bundler-seal-1 ";

  private static volatile CacheSeal machine;

  private final byte[] key;

  private CacheSeal(byte[] key) {
    this.key = key.clone();
  }

  /** A seal with the given key material, for tests and callers with their own secret. */
  public static CacheSeal withKey(byte[] material) {
    return new CacheSeal(sha256(material));
  }

  /**
   * This user's seal: from {@code BUNDLER_CACHE_KEY}, else from the key file under {@code
   * ~/.config/bundler} (or {@code $XDG_CONFIG_HOME/bundler}), made on first use.
   */
  public static CacheSeal forUser() throws IOException {
    CacheSeal seal = machine;
    if (seal == null) {
      synchronized (CacheSeal.class) {
        if (machine == null) {
          machine = load(System.getenv(), Path.of(System.getProperty("user.home")));
        }
        seal = machine;
      }
    }
    return seal;
  }

  static CacheSeal load(Map<String, String> environment, Path home) throws IOException {
    String secret = environment.get(KEY_VARIABLE);
    if (secret != null && !secret.isBlank()) {
      return withKey(secret.strip().getBytes(StandardCharsets.UTF_8));
    }
    String config = environment.get("XDG_CONFIG_HOME");
    Path directory = (config == null || config.isBlank() ? home.resolve(".config") : Path.of(config))
        .resolve("bundler");
    Path file = directory.resolve("cache.key");
    if (!Files.isRegularFile(file)) {
      Files.createDirectories(directory);
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Path partial = Files.createTempFile(directory, ".cache-key-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(partial, HexFormat.of().formatHex(fresh) + "\n");
        try {
          // Two first builds at once: the first key written wins, the other reads it.
          Files.move(partial, file);
        } catch (java.nio.file.FileAlreadyExistsException concurrent) {
          // fall through to read the winner's key
        }
      } finally {
        Files.deleteIfExists(partial);
      }
    }
    return withKey(Files.readString(file, StandardCharsets.UTF_8).strip()
        .getBytes(StandardCharsets.UTF_8));
  }

  /** {@code content}, a newline, and a line carrying its seal. */
  public byte[] seal(byte[] content) {
    byte[] line = ("\n" + PREFIX + HexFormat.of().formatHex(mac(content)) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = Arrays.copyOf(content, content.length + line.length);
    System.arraycopy(line, 0, sealed, content.length, line.length);
    return sealed;
  }

  /**
   * The content of a sealed record, or {@code null} if it carries no seal or one this key did
   * not make (a forged, damaged or foreign record: the caller treats it as missing).
   */
  public byte[] open(byte[] sealed) {
    int end = sealed.length;
    if (end == 0 || sealed[end - 1] != '\n') {
      return null;
    }
    int start = end - 1;
    while (start > 0 && sealed[start - 1] != '\n') {
      start--;
    }
    if (start == 0) {
      return null;
    }
    String line = new String(sealed, start, end - 1 - start, StandardCharsets.US_ASCII);
    if (!line.startsWith(PREFIX)) {
      return null;
    }
    byte[] content = Arrays.copyOf(sealed, start - 1);
    byte[] expected = mac(content);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(line.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return MessageDigest.isEqual(expected, given) ? content : null;
  }

  /** Writes {@code content} sealed to {@code file}, atomically. */
  public void write(Path file, byte[] content) throws IOException {
    AtomicFiles.write(file, seal(content));
  }

  /** The content of the sealed record at {@code file}, or {@code null} if absent or not sealed by this key. */
  public byte[] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return open(Files.readAllBytes(file));
  }

  private byte[] mac(byte[] content) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
    }
  }

  private static byte[] sha256(byte[] material) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(material);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
