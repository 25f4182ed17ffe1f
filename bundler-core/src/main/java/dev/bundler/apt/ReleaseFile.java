package dev.bundler.apt;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A suite's (verified) {@code Release}: its dates, the SHA-256 and size of every index file, and
 * whether index files can be fetched by their hash ({@code Acquire-By-Hash: yes}), which keeps
 * the ones a cached Release names available for a while after the archive moved on.
 */
record ReleaseFile(Instant date, Instant validUntil, Map<String, Entry> files, String codename,
    boolean byHash) {

  /** An index file's checksum and size. */
  record Entry(String sha256, long size) {}

  static ReleaseFile parse(String text) {
    Deb822 release = Deb822.parseAll(text).get(0);
    Map<String, Entry> files = new HashMap<>();
    String sha256 = release.get("SHA256");
    if (sha256 != null) {
      for (String line : sha256.split("\n")) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length == 3) {
          files.put(parts[2], new Entry(parts[0], Long.parseLong(parts[1])));
        }
      }
    }
    return new ReleaseFile(date(release.get("Date")), date(release.get("Valid-Until")), files,
        release.get("Codename"), "yes".equalsIgnoreCase(release.get("Acquire-By-Hash", "no").strip()));
  }

  private static Instant date(String value) {
    if (value == null) {
      return null;
    }
    String normalized = value.strip().replaceFirst("UTC$", "GMT").replaceFirst("\\s+", " ");
    try {
      return ZonedDateTime.parse(normalized, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
          .toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("unreadable date '" + value + "' in Release", e);
    }
  }
}
