package dev.bundler.apt;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the build machine's APT configuration, {@code /etc/apt/sources.list.d/*.sources}
 * (deb822) and {@code /etc/apt/sources.list} (one-line), so that bundler uses the mirror the
 * machine already uses and no mirror host is written anywhere else.
 */
final class MachineSources {
  private MachineSources() {}

  /** Every {@code deb} source configured under {@code etcApt} (usually {@code /etc/apt}). */
  static List<AptSource> read(Path etcApt) throws IOException {
    List<AptSource> sources = new ArrayList<>();
    Path list = etcApt.resolve("sources.list");
    if (Files.isRegularFile(list)) {
      sources.addAll(oneLine(Files.readString(list)));
    }
    Path dir = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(dir)) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        entries.forEach(files::add);
      }
      files.sort(null);
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".sources")) {
          sources.addAll(deb822(Files.readString(file)));
        } else if (name.endsWith(".list")) {
          sources.addAll(oneLine(Files.readString(file)));
        }
      }
    }
    return sources;
  }

  static List<AptSource> deb822(String text) {
    List<AptSource> sources = new ArrayList<>();
    for (Deb822 paragraph : Deb822.parseAll(text)) {
      if (!words(paragraph.get("Types", "")).contains("deb")
          || "no".equalsIgnoreCase(paragraph.get("Enabled", "yes"))) {
        continue;
      }
      String signedBy = paragraph.get("Signed-By");
      Path keyring = signedBy != null && signedBy.startsWith("/") ? Path.of(signedBy.strip()) : null;
      boolean trusted = "yes".equalsIgnoreCase(paragraph.get("Trusted", "no"));
      for (String uri : words(paragraph.get("URIs", ""))) {
        for (String suite : words(paragraph.get("Suites", ""))) {
          sources.add(new AptSource(URI.create(uri), suite,
              words(paragraph.get("Components", "main")), keyring, trusted));
        }
      }
    }
    return sources;
  }

  static List<AptSource> oneLine(String text) {
    List<AptSource> sources = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.replaceFirst("#.*", "").strip();
      if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
        continue;
      }
      String rest = line.substring(4).strip();
      Path keyring = null;
      boolean trusted = false;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        for (String option : words(rest.substring(1, close))) {
          if (option.startsWith("signed-by=")) {
            keyring = Path.of(option.substring("signed-by=".length()));
          } else if (option.equals("trusted=yes")) {
            trusted = true;
          }
        }
        rest = rest.substring(close + 1).strip();
      }
      List<String> words = words(rest);
      if (words.size() >= 3) {
        sources.add(new AptSource(URI.create(words.get(0)), words.get(1),
            words.subList(2, words.size()), keyring, trusted));
      }
    }
    return sources;
  }

  private static List<String> words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }
}
