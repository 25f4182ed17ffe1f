package dev.bundler.apt;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** The suffixes of a codename's companion suites ({@code bookworm-updates}). */
  private static final java.util.regex.Pattern COMPANION =
      java.util.regex.Pattern.compile("(.+?)(-updates|-security|-backports|-proposed-updates|/updates)$");

  /**
   * The sources for {@code suite}, {@code SUITE-updates} and {@code SUITE-security}, from the
   * Debian archives among the machine's {@code sources} whatever suite they name: one mirror
   * serves every suite of its archive. A source is a Debian archive when it has no {@code
   * Signed-By} or Debian's keyring ({@code debian-archive-*}); the archives that name {@code
   * suite} itself are preferred if there are any. Its security archive is the machine's one, or
   * the {@code .../debian-security} next to a {@code .../debian} mirror. Other repositories
   * (a vendor's, with its own key) are kept only for {@code suite} itself. Backports are never
   * read (apt does not prefer them either).
   *
   * @param keyringGiven whether the user named a keyring, which then replaces the machine's
   *     {@code Signed-By} of the Debian archives
   */
  static List<AptSource> forSuite(List<AptSource> sources, String suite, List<String> components,
      boolean keyringGiven, boolean unsigned) {
    Map<URI, AptSource> archives = new LinkedHashMap<>();
    Map<URI, AptSource> security = new LinkedHashMap<>();
    Map<URI, AptSource> exactArchives = new LinkedHashMap<>();
    Map<URI, AptSource> exactSecurity = new LinkedHashMap<>();
    List<AptSource> others = new ArrayList<>();
    for (AptSource source : sources) {
      java.util.regex.Matcher companion = COMPANION.matcher(source.suite());
      String codename = companion.matches() ? companion.group(1) : source.suite();
      boolean isSecurity = companion.matches()
          && (companion.group(2).equals("-security") || companion.group(2).equals("/updates"));
      if (!debianArchive(source)) {
        if (codename.equals(suite) && !source.suite().endsWith("-backports")) {
          others.add(unsigned ? withSigning(source, source.keyring(), true) : source);
        }
        continue;
      }
      (isSecurity ? security : archives).putIfAbsent(source.uri(), source);
      if (codename.equals(suite)) {
        (isSecurity ? exactSecurity : exactArchives).putIfAbsent(source.uri(), source);
      }
    }
    Map<URI, AptSource> useArchives = exactArchives.isEmpty() ? archives : exactArchives;
    Map<URI, AptSource> useSecurity = exactSecurity.isEmpty() ? security : exactSecurity;
    List<AptSource> result = new ArrayList<>();
    for (AptSource archive : useArchives.values()) {
      Path keyring = keyringGiven ? null : archive.keyring();
      boolean trusted = unsigned || archive.unsigned();
      result.add(new AptSource(archive.uri(), suite, components, keyring, trusted));
      result.add(new AptSource(archive.uri(), suite + "-updates", components, keyring, trusted));
      if (useSecurity.isEmpty()) {
        URI next = AptConfig.securityArchive(archive.uri());
        if (next != null) {
          result.add(new AptSource(next, suite + "-security", components, keyring, trusted));
        }
      }
    }
    for (AptSource archive : useSecurity.values()) {
      result.add(new AptSource(archive.uri(), suite + "-security", components,
          keyringGiven ? null : archive.keyring(), unsigned || archive.unsigned()));
    }
    result.addAll(others);
    return result;
  }

  private static boolean debianArchive(AptSource source) {
    return source.keyring() == null
        || source.keyring().getFileName().toString().startsWith("debian-archive-");
  }

  private static AptSource withSigning(AptSource source, Path keyring, boolean unsigned) {
    return new AptSource(source.uri(), source.suite(), source.components(), keyring, unsigned);
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
