package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The OpenPGP public keys a repository's signatures are checked against: a binary keyring such
 * as {@code /usr/share/keyrings/debian-archive-keyring.gpg}, or ASCII-armoured keys.
 */
public final class Keyring {
  private final List<PGPPublicKeyRing> rings;
  private final String description;

  private Keyring(List<PGPPublicKeyRing> rings, String description) {
    this.rings = rings;
    this.description = description;
  }

  /**
   * Reads a keyring file, binary or armoured.
   *
   * @param parameter the parameter that named the file, for errors
   */
  public static Keyring read(Path file, Parameter parameter) throws InvalidInputException {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException | PGPException | RuntimeException e) {
      throw KeyringFile.unreadable(parameter, file, e.getMessage(), e);
    }
  }

  static Keyring parse(byte[] bytes, String description) throws IOException, PGPException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      PGPPublicKeyRingCollection collection =
          new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      collection.getKeyRings().forEachRemaining(rings::add);
    }
    if (rings.isEmpty()) {
      throw new PGPException("no public key in it");
    }
    return new Keyring(rings, description);
  }

  /** Combines keyrings (a repository may be signed by any of them). */
  public Keyring and(Keyring other) {
    List<PGPPublicKeyRing> all = new ArrayList<>(rings);
    all.addAll(other.rings);
    return new Keyring(all, description + ", " + other.description);
  }

  /** The key with {@code keyId} and the primary key of its ring, or {@code null}. */
  KeyAndPrimary find(long keyId) {
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey key = ring.getPublicKey(keyId);
      if (key != null) {
        return new KeyAndPrimary(key, ring.getPublicKey());
      }
    }
    return null;
  }

  /** A signing key with the primary key of its certificate. */
  record KeyAndPrimary(PGPPublicKey key, PGPPublicKey primary) {
    /** Why the key may not be trusted at {@code now}, or {@code null} if it may. */
    String problemAt(Instant now) {
      for (PGPPublicKey k : key == primary ? List.of(key) : List.of(key, primary)) {
        if (k.hasRevocation()) {
          return "key " + hex(k.getKeyID()) + " is revoked";
        }
        long valid = k.getValidSeconds();
        if (valid > 0 && k.getCreationTime().toInstant().plusSeconds(valid).isBefore(now)) {
          return "key " + hex(k.getKeyID()) + " expired on "
              + k.getCreationTime().toInstant().plusSeconds(valid);
        }
      }
      return null;
    }
  }

  static String hex(long keyId) {
    return String.format("%016X", keyId);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Key ids, for messages. */
  List<String> keyIds() {
    List<String> ids = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
        ids.add(hex(keys.next().getKeyID()));
      }
    }
    return ids;
  }
}
