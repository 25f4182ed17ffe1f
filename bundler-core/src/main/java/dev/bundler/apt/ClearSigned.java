package dev.bundler.apt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenPGP cleartext-signed message (RFC 4880 section 7), as {@code InRelease} files are: the
 * text, the bytes its signature covers, and the armoured signature block.
 *
 * @param text the signed text, dash-escaping removed, lines joined with {@code \n}
 * @param signedBytes what the signature covers: lines without trailing blanks, joined with CRLF
 * @param signatureBlock the {@code -----BEGIN PGP SIGNATURE-----} block
 */
record ClearSigned(String text, byte[] signedBytes, String signatureBlock) {
  static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
  static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  static final String END = "-----END PGP SIGNATURE-----";

  /**
   * Splits a cleartext-signed message. Anything outside the one signed message is refused, so
   * that no unsigned text can be read as if signed.
   *
   * @throws IllegalArgumentException if the message is not well formed
   */
  static ClearSigned parse(String message) {
    String[] lines = message.replace("\r\n", "\n").split("\n", -1);
    int at = 0;
    if (lines.length == 0 || !lines[0].equals(BEGIN)) {
      throw new IllegalArgumentException("it does not start with '" + BEGIN + "'");
    }
    at++;
    while (at < lines.length && !lines[at].isEmpty()) {
      if (!lines[at].startsWith("Hash: ")) {
        throw new IllegalArgumentException("unexpected armour header '" + lines[at] + "'");
      }
      at++;
    }
    at++;
    List<String> text = new ArrayList<>();
    while (at < lines.length && !lines[at].equals(SIGNATURE)) {
      String line = lines[at++];
      if (line.startsWith("- ")) {
        line = line.substring(2);
      } else if (line.startsWith("-")) {
        throw new IllegalArgumentException("a line starts with '-' without dash-escaping");
      }
      text.add(line);
    }
    if (at >= lines.length) {
      throw new IllegalArgumentException("it has no signature");
    }
    StringBuilder signature = new StringBuilder();
    boolean ended = false;
    for (; at < lines.length; at++) {
      if (ended) {
        if (!lines[at].isBlank()) {
          throw new IllegalArgumentException("text follows the signature");
        }
        continue;
      }
      signature.append(lines[at]).append('\n');
      ended = lines[at].equals(END);
    }
    if (!ended) {
      throw new IllegalArgumentException("the signature block is not terminated");
    }
    return new ClearSigned(String.join("\n", text), canonical(text), signature.toString());
  }

  /** RFC 4880 text canonicalization: trailing blanks removed, CRLF between lines. */
  static byte[] canonical(List<String> lines) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.append("\r\n");
      }
      out.append(lines.get(i).replaceAll("[ \t]+$", ""));
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
