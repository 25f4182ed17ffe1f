package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks an {@code InRelease} as apt does, each time it is used (fetched or cached): its
 * signature against the suite's keyring, then its {@code Valid-Until} and {@code Date} against
 * the clock; an unsigned suite only with the user's opt-in.
 */
final class ReleaseVerifier {
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  /** How long a verified signature is remembered (the dates are checked at every use). */
  private static final Duration REMEMBERED = Duration.ofHours(24);

  private final Instant now;
  private final EventHandler events;
  private final Path memos;
  private final Map<Path, Keyring> keyrings = new HashMap<>();

  /**
   * A verifier remembering, under {@code memos} (sealed with this user's cache key), which
   * InRelease files (by SHA-256) it found signed by which keyring (by SHA-256), so that a build
   * using a cached InRelease checks its bytes against that record instead of running OpenPGP
   * again; {@code null} remembers nothing.
   */
  ReleaseVerifier(Instant now, EventHandler events, Path memos) {
    this.now = now;
    this.events = events;
    this.memos = memos;
  }

  /** The Release in {@code bytes}, its signature and dates checked (unless opted out). */
  ReleaseFile verify(AptSource source, AptConfig config, byte[] bytes)
      throws BundlerException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String signed;
    if (source.unsigned()) {
      events.warn("The signature of " + source + " is not checked ("
          + Parameter.ALLOW_UNSIGNED.named() + ")");
      try {
        signed = text.startsWith(ClearSigned.BEGIN) ? ClearSigned.parse(text).text() : text;
      } catch (IllegalArgumentException e) {
        throw new EnvironmentException("The InRelease of " + source + " is unreadable: "
            + e.getMessage(), e);
      }
    } else {
      Path keyringFile = source.keyring() != null ? source.keyring() : config.keyring();
      Path memo = memo(bytes, keyringFile);
      if (memo != null && remembered(memo)) {
        signed = ClearSigned.parse(text).text();
      } else {
        Keyring keyring = keyring(keyringFile);
        SignatureVerifier.Outcome outcome = SignatureVerifier.verify(text, keyring, now);
        if (!outcome.trusted()) {
          throw new InvalidInputException(Parameter.DEBIAN_KEYRING, "The InRelease of " + source
              + " is not trusted: " + outcome.problem() + ". Checked against " + keyring
              + "; if the repository is signed by another key, set " + Parameter.DEBIAN_KEYRING
              + ", or " + Parameter.ALLOW_UNSIGNED.withValue("true") + " to accept it unsigned");
        }
        signed = outcome.text();
        remember(memo);
      }
    }
    ReleaseFile release;
    try {
      release = ReleaseFile.parse(signed);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new EnvironmentException("The Release of " + source + " is unreadable: " + e.getMessage(), e);
    }
    if (!source.unsigned()) {
      checkDates(source, release);
    }
    return release;
  }

  private void checkDates(AptSource source, ReleaseFile release) throws InvalidInputException {
    if (release.validUntil() != null && release.validUntil().isBefore(now)) {
      throw new InvalidInputException(Parameter.DEBIAN_MIRROR, "The Release of " + source
          + " expired on " + release.validUntil() + " (Valid-Until): the mirror is stale or "
          + "replays an old Release. Use an up-to-date mirror");
    }
    if (release.date() != null && release.date().isAfter(now.plus(CLOCK_SKEW))) {
      throw new InvalidInputException(Parameter.DEBIAN_MIRROR, "The Release of " + source
          + " is dated " + release.date() + ", in the future: check this machine's clock");
    }
  }

  /** Where the verification of {@code bytes} against {@code keyring} is remembered, or null. */
  private Path memo(byte[] bytes, Path keyring) {
    if (memos == null || keyring == null) {
      return null;
    }
    try {
      return memos.resolve(dev.bundler.layer.CacheKey.of("release-verified/1")
          .with("inrelease", dev.bundler.layer.Digests.sha256Hex(bytes))
          .withFile("keyring", keyring).build());
    } catch (java.io.IOException unreadable) {
      return null; // the keyring is read (and its problem reported) by the full check
    }
  }

  private boolean remembered(Path memo) {
    try {
      byte[] record = dev.bundler.io.CacheSeal.forUser().read(memo);
      return record != null && Instant.parse(new String(record, StandardCharsets.US_ASCII))
          .plus(REMEMBERED).isAfter(now);
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private void remember(Path memo) {
    if (memo == null) {
      return;
    }
    try {
      dev.bundler.io.CacheSeal.forUser().write(memo, now.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (java.io.IOException e) {
      events.debug("Not remembering a verified InRelease: " + e.getMessage());
    }
  }

  private Keyring keyring(Path file) throws InvalidInputException {
    Keyring cached = keyrings.get(file);
    if (cached == null) {
      cached = Keyring.read(file, Parameter.DEBIAN_KEYRING);
      keyrings.put(file, cached);
    }
    return cached;
  }
}
