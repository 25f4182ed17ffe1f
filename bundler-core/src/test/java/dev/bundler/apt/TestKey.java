package dev.bundler.apt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** An Ed25519 OpenPGP key made in the test, to sign fixture repositories with. */
public final class TestKey {
  private final PGPKeyPair pair;
  private final byte[] publicKeyring;

  private TestKey(PGPKeyPair pair, byte[] publicKeyring) {
    this.pair = pair;
    this.publicKeyring = publicKeyring;
  }

  /** A key created at {@code created}, expiring after {@code validSeconds} (0: never). */
  public static TestKey generate(Date created, long validSeconds) throws PGPException, IOException {
    Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
    generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
    AsymmetricCipherKeyPair keys = generator.generateKeyPair();
    PGPKeyPair pair = new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, keys, created);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setKeyFlags(false, org.bouncycastle.bcpg.sig.KeyFlags.SIGN_DATA
        | org.bouncycastle.bcpg.sig.KeyFlags.CERTIFY_OTHER);
    if (validSeconds > 0) {
      hashed.setKeyExpirationTime(false, validSeconds);
    }
    PGPKeyRingGenerator ring = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair,
        "bundler test archive <test@bundler.invalid>",
        new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
        new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256),
        null);
    return new TestKey(pair, ring.generatePublicKeyRing().getEncoded());
  }

  public static TestKey generate() throws PGPException, IOException {
    return generate(new Date(System.currentTimeMillis() - 86_400_000L), 0);
  }

  /** The binary public keyring, as a {@code .gpg} file holds it. */
  public byte[] publicKeyring() {
    return publicKeyring;
  }

  /** {@code text} as a cleartext-signed message. */
  String clearsign(String text) throws PGPException, IOException {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    PGPSignatureGenerator generator = new PGPSignatureGenerator(
        new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256),
        pair.getPublicKey());
    generator.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, pair.getPrivateKey());
    generator.update(ClearSigned.canonical(lines));
    ByteArrayOutputStream armored = new ByteArrayOutputStream();
    try (ArmoredOutputStream out = ArmoredOutputStream.builder().clearHeaders().build(armored)) {
      generator.generate().encode(out);
    }
    StringBuilder message = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
    for (String line : lines) {
      message.append(line.startsWith("-") ? "- " + line : line).append('\n');
    }
    message.append(armored.toString(StandardCharsets.US_ASCII));
    return message.toString();
  }
}
