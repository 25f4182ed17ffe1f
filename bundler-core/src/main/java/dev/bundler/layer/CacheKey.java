package dev.bundler.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Builds the key of a cached result from everything that decides it, never from file times.
 *
 * <p>Each input is a named value; names and values are length-prefixed before hashing so that no
 * two different input lists give the same key. Start with a kind that carries a format version
 * ({@code "wheel-layer/1"}) and bump it whenever the way the result is made changes.
 */
public final class CacheKey {
  private final MessageDigest digest = Digests.sha256();

  private CacheKey(String kind) {
    with("kind", kind);
  }

  public static CacheKey of(String kind) {
    return new CacheKey(Objects.requireNonNull(kind, "kind"));
  }

  public CacheKey with(String name, String value) {
    update(name);
    update(value == null ? "\0null" : value);
    return this;
  }

  public CacheKey with(String name, long value) {
    return with(name, Long.toString(value));
  }

  /** Adds a file by the SHA-256 of its content. */
  public CacheKey withFile(String name, Path file) throws IOException {
    return with(name, Digests.sha256Hex(file));
  }

  /** The key, as 64 lower-case hex characters. */
  public String build() {
    return Digests.hex(digest.digest());
  }

  private void update(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }
}
