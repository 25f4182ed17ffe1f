package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A keyring file's shape, checked where the configuration is read. Apart from {@link Keyring} on
 * purpose: Keyring's code refers to Bouncy Castle, a signed jar whose signature the JVM checks
 * when its first class loads (0.1 s), and a build whose verified Releases are remembered loads
 * none of it.
 */
final class KeyringFile {
  private KeyringFile() {}

  /**
   * Checks, without reading its keys, that {@code file} can be a keyring: not empty, and a binary
   * OpenPGP packet stream or an ASCII-armoured public key block. The keys themselves are read
   * when a signature is checked (a build whose verified Release is remembered reads none).
   *
   * @throws InvalidInputException naming {@code parameter} if it cannot be one
   */
  static void requireShape(Path file, Parameter parameter) throws InvalidInputException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(64);
    } catch (IOException e) {
      throw unreadable(parameter, file, e.getMessage(), e);
    }
    String text = new String(head, StandardCharsets.US_ASCII).strip();
    boolean binary = head.length > 0 && (head[0] & 0x80) != 0;
    if (!binary && !text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
      throw unreadable(parameter, file, head.length == 0 ? "it is empty"
          : "it is neither a binary keyring nor an armoured public key block",
          new IOException(head.length == 0 ? "no public key in it" : "not an OpenPGP keyring"));
    }
  }

  /** The error for a keyring file that cannot be read, saying {@code why} and the fix. */
  static InvalidInputException unreadable(Parameter parameter, Path file, String why,
      Throwable cause) {
    return new InvalidInputException(parameter, "Cannot read the OpenPGP keyring " + file + ": "
        + why + ". Give a binary (.gpg) or ASCII-armoured (.asc) public key file", cause);
  }
}
