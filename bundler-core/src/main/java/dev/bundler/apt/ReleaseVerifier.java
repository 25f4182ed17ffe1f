package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
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

  private final Instant now;
  private final EventHandler events;
  private final Map<Path, Keyring> keyrings = new HashMap<>();

  ReleaseVerifier(Instant now, EventHandler events) {
    this.now = now;
    this.events = events;
  }

  /** The Release in {@code bytes}, its signature and dates checked (unless opted out). */
  ReleaseFile verify(AptSource source, AptConfig config, byte[] bytes)
      throws BundlerException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String signed;
    if (source.unsigned()) {
      events.warn("The signature of " + source + " is not checked (bundler.debian.allowUnsigned)");
      try {
        signed = text.startsWith(ClearSigned.BEGIN) ? ClearSigned.parse(text).text() : text;
      } catch (IllegalArgumentException e) {
        throw new EnvironmentException("The InRelease of " + source + " is unreadable: "
            + e.getMessage(), e);
      }
    } else {
      Keyring keyring = keyring(source.keyring() != null ? source.keyring() : config.keyring());
      SignatureVerifier.Outcome outcome = SignatureVerifier.verify(text, keyring, now);
      if (!outcome.trusted()) {
        throw new InvalidInputException("bundler.debian.keyring", "The InRelease of " + source
            + " is not trusted: " + outcome.problem() + ". Checked against " + keyring
            + "; if the repository is signed by another key, set -Dbundler.debian.keyring, or "
            + "-Dbundler.debian.allowUnsigned=true to accept it unsigned");
      }
      signed = outcome.text();
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
      throw new InvalidInputException("bundler.debian.mirror", "The Release of " + source
          + " expired on " + release.validUntil() + " (Valid-Until): the mirror is stale or "
          + "replays an old Release. Use an up-to-date mirror");
    }
    if (release.date() != null && release.date().isAfter(now.plus(CLOCK_SKEW))) {
      throw new InvalidInputException("bundler.debian.mirror", "The Release of " + source
          + " is dated " + release.date() + ", in the future: check this machine's clock");
    }
  }

  private Keyring keyring(Path file) throws InvalidInputException {
    Keyring cached = keyrings.get(file);
    if (cached == null) {
      cached = Keyring.read(file, "bundler.debian.keyring");
      keyrings.put(file, cached);
    }
    return cached;
  }
}
