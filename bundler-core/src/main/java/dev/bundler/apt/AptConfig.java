package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.Redact;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where Debian packages come from: the suites to read, for one architecture, checked against a
 * keyring. Built from the user's settings, or, when no mirror is set, from the machine's own APT
 * configuration.
 *
 * @param sources the suites, in the order the user gave them
 * @param architecture the Debian architecture ({@code amd64}, {@code arm64})
 * @param keyring the default keyring for sources that name none
 */
public record AptConfig(List<AptSource> sources, String architecture, Path keyring) {
  /** Debian's archive keyring, as package {@code debian-archive-keyring} installs it. */
  public static final Path DEBIAN_KEYRING = Parameter.DEBIAN_KEYRING.defaultPath();

  public AptConfig {
    sources = List.copyOf(sources);
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(keyring, "keyring");
  }

  /**
   * The configuration for {@code suite}: from {@code mirror} if given (with its {@code -updates}
   * suite and, for a {@code .../debian} mirror, the matching {@code -security} archive), else
   * from the Debian archives of the machine's APT sources, whatever suite they name ({@link
   * MachineSources#forSuite}).
   *
   * @param keyring the keyring the user named, which every archive suite is checked against
   *     (over the machine's {@code Signed-By}); {@code null} for the machine's {@code
   *     Signed-By}, else {@link #DEBIAN_KEYRING}
   * @throws InvalidInputException naming {@code bundler.debian.mirror} when no archive is
   *     found, or {@code bundler.debian.keyring} when a keyring is missing, empty or unreadable
   */
  public static AptConfig of(String mirror, String suite, List<String> components,
      String architecture, Path keyring, boolean unsigned, Path etcApt)
      throws InvalidInputException {
    List<AptSource> sources = new ArrayList<>();
    if (mirror != null && !mirror.isBlank()) {
      URI base;
      try {
        base = URI.create(mirror.strip().replaceAll("/+$", "") + "/");
        sources.add(new AptSource(base, suite, components, null, unsigned));
        sources.add(new AptSource(base, suite + "-updates", components, null, unsigned));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(Parameter.DEBIAN_MIRROR, "'" + Redact.urls(mirror)
            + "' is not a usable mirror URL: set " + Parameter.DEBIAN_MIRROR + " to "
            + "http(s)://HOST/debian", e);
      }
      URI security = securityArchive(base);
      if (security != null) {
        sources.add(new AptSource(security, suite + "-security", components, null, unsigned));
      }
    } else {
      try {
        sources.addAll(MachineSources.forSuite(MachineSources.read(etcApt), suite, components,
            keyring != null, unsigned));
      } catch (IOException | IllegalArgumentException e) {
        throw new InvalidInputException(Parameter.DEBIAN_MIRROR, "Cannot read this machine's APT "
            + "configuration under " + etcApt + " (" + Redact.urls(e.getMessage()) + "): set "
            + Parameter.DEBIAN_MIRROR + " to a Debian mirror URL", e);
      }
      if (sources.isEmpty()) {
        throw new InvalidInputException(Parameter.DEBIAN_MIRROR, "No Debian mirror is configured: "
            + "this machine's APT configuration (" + etcApt + "/sources.list, " + etcApt
            + "/sources.list.d/) has no 'deb' source of a Debian archive. Set "
            + Parameter.DEBIAN_MIRROR + " to a Debian mirror URL");
      }
    }
    return new AptConfig(sources, architecture, keyring != null ? keyring : DEBIAN_KEYRING)
        .requireKeyrings(keyring != null);
  }

  /**
   * The security archive next to a Debian archive ({@code .../debian} or a snapshot {@code
   * .../debian/TIMESTAMP}: {@code .../debian-security}), or {@code null}.
   */
  static URI securityArchive(URI archive) {
    String path = archive.getPath().replaceAll("/+$", "");
    if (path.endsWith("/debian") || path.matches(".*/debian/\\d{8}T\\d{6}Z")) {
      return URI.create(archive.toString().replaceFirst("/debian(/|$)", "/debian-security$1"));
    }
    return null;
  }

  /**
   * This configuration with extra repositories, each a one-line {@code sources.list} entry with
   * its own key: {@code deb [signed-by=/etc/keys/nginx.asc] https://HOST/packages/debian
   * bookworm nginx}.
   *
   * @throws InvalidInputException naming {@code bundler.debian.repositories} on a bad entry
   */
  public AptConfig withRepositories(List<String> repositories) throws InvalidInputException {
    List<AptSource> all = new ArrayList<>(sources);
    for (String line : repositories) {
      List<AptSource> parsed;
      try {
        parsed = MachineSources.oneLine(line.strip().startsWith("deb") ? line : "deb " + line);
      } catch (IllegalArgumentException e) {
        parsed = List.of();
      }
      if (parsed.size() != 1) {
        throw new InvalidInputException(Parameter.DEBIAN_REPOSITORIES, "'" + Redact.urls(line)
            + "' is not a repository: write 'deb [signed-by=/path/to/key.asc] URL SUITE COMPONENT...'");
      }
      AptSource source = parsed.get(0);
      if (source.keyring() != null) {
        if (!Files.isRegularFile(source.keyring())) {
          throw new InvalidInputException(Parameter.DEBIAN_REPOSITORIES, "The key "
              + source.keyring() + " of repository '" + Redact.urls(line) + "' does not exist");
        }
        KeyringFile.requireShape(source.keyring(), Parameter.DEBIAN_REPOSITORIES);
      }
      all.add(source);
    }
    return new AptConfig(all, architecture, keyring);
  }

  /**
   * Checks, before anything is fetched, that every keyring a suite will be checked against is
   * a readable OpenPGP keyring: an empty or unreadable one fails naming its parameter.
   */
  private AptConfig requireKeyrings(boolean given) throws InvalidInputException {
    java.util.Set<Path> checked = new java.util.HashSet<>();
    for (AptSource source : sources) {
      if (source.unsigned()) {
        continue;
      }
      Path file = source.keyring() != null ? source.keyring() : keyring;
      if (!checked.add(file)) {
        continue;
      }
      String whose = source.keyring() != null
          ? "named by Signed-By in this machine's APT configuration for " + source
          : given ? "given by " + Parameter.DEBIAN_KEYRING.named()
          : "(Debian's archive keyring, the default)";
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(Parameter.DEBIAN_KEYRING, "The keyring " + file + " "
            + whose + " does not exist: " + (given || source.keyring() != null
            ? "set " + Parameter.DEBIAN_KEYRING + " to the archive's keyring"
            : "install debian-archive-keyring or set " + Parameter.DEBIAN_KEYRING));
      }
      try {
        KeyringFile.requireShape(file, Parameter.DEBIAN_KEYRING);
      } catch (InvalidInputException e) {
        Throwable why = e.getCause() != null ? e.getCause() : e;
        throw new InvalidInputException(Parameter.DEBIAN_KEYRING, "The keyring " + file + " "
            + whose + " is not a usable OpenPGP keyring (" + why.getMessage() + "): set "
            + Parameter.DEBIAN_KEYRING + " to the archive's keyring, a binary (.gpg) or "
            + "ASCII-armoured (.asc) public key file", why);
      }
    }
    return this;
  }
}
