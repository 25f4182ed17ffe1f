package dev.bundler.apt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks an {@code InRelease} file the way apt (through gpgv) does: at least one good signature
 * by a key of the keyring, no bad signature by a key of the keyring, no signing key expired or
 * revoked, no weak digest. Bouncy Castle checks the mathematics; the rest is done here.
 */
final class SignatureVerifier {
  private SignatureVerifier() {}

  /** The outcome: the signed text, or why it is not to be trusted. */
  record Outcome(String text, String problem) {
    boolean trusted() {
      return problem == null;
    }
  }

  static Outcome verify(String message, Keyring keyring, Instant now) {
    ClearSigned signed;
    try {
      signed = ClearSigned.parse(message);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, "it is not a clearsigned message: " + e.getMessage());
    }
    List<PGPSignature> signatures;
    try {
      signatures = signatures(signed.signatureBlock());
    } catch (IOException | PGPException | RuntimeException e) {
      return new Outcome(null, "its signature block cannot be read: " + e.getMessage());
    }
    boolean good = false;
    List<String> unknown = new ArrayList<>();
    for (PGPSignature signature : signatures) {
      Keyring.KeyAndPrimary key = keyring.find(signature.getKeyID());
      if (key == null) {
        unknown.add(Keyring.hex(signature.getKeyID()));
        continue;
      }
      int hash = signature.getHashAlgorithm();
      if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1
          || hash == HashAlgorithmTags.RIPEMD160) {
        return new Outcome(null, "it is signed with a weak digest by key "
            + Keyring.hex(signature.getKeyID()));
      }
      boolean valid;
      try {
        signature.init(new BcPGPContentVerifierBuilderProvider(), key.key());
        signature.update(signed.signedBytes());
        valid = signature.verify();
      } catch (PGPException | RuntimeException e) {
        valid = false;
      }
      if (!valid) {
        return new Outcome(null, "its signature by key " + Keyring.hex(signature.getKeyID())
            + " is BAD: the file was modified after it was signed");
      }
      String problem = key.problemAt(now);
      if (problem != null) {
        return new Outcome(null, "it is signed, but " + problem);
      }
      good = true;
    }
    if (!good) {
      return new Outcome(null, "no signature is by a key of the keyring ("
          + (unknown.isEmpty() ? "it has no signature" : "signed by unknown key " + String.join(", ", unknown))
          + ")");
    }
    return new Outcome(signed.text(), null);
  }

  private static List<PGPSignature> signatures(String block) throws IOException, PGPException {
    List<PGPSignature> signatures = new ArrayList<>();
    try (InputStream in = new ArmoredInputStream(
        new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      for (Object object; (object = factory.nextObject()) != null; ) {
        if (object instanceof PGPSignatureList list) {
          list.forEach(signatures::add);
        }
      }
    }
    return signatures;
  }
}
