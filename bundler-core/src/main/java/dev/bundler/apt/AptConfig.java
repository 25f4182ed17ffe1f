package dev.bundler.apt;

import dev.bundler.InvalidInputException;
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
  public static final Path DEBIAN_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  public AptConfig {
    sources = List.copyOf(sources);
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(keyring, "keyring");
  }

  /**
   * The configuration for {@code suite}: from {@code mirror} if given (with its {@code -updates}
   * suite and, for a {@code .../debian} mirror, the matching {@code -security} archive), else
   * the machine's APT sources for that suite.
   *
   * @throws InvalidInputException naming {@code bundler.debian.mirror} when neither exists
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
        throw new InvalidInputException("bundler.debian.mirror", "'" + mirror + "' is not a "
            + "usable mirror URL: set -Dbundler.debian.mirror to http(s)://HOST/debian", e);
      }
      String path = base.getPath().replaceAll("/+$", "");
      if (path.endsWith("/debian") || path.matches(".*/debian/\\d{8}T\\d{6}Z")) {
        URI security = URI.create(base.toString().replaceFirst("/debian(/|$)", "/debian-security$1"));
        sources.add(new AptSource(security, suite + "-security", components, null, unsigned));
      }
    } else {
      try {
        for (AptSource source : MachineSources.read(etcApt)) {
          if (source.suite().equals(suite) || source.suite().startsWith(suite + "-")) {
            sources.add(unsigned ? new AptSource(source.uri(), source.suite(),
                source.components(), source.keyring(), true) : source);
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new InvalidInputException("bundler.debian.mirror", "Cannot read this machine's APT "
            + "configuration under " + etcApt + " (" + e.getMessage() + "): set "
            + "-Dbundler.debian.mirror to a Debian mirror URL", e);
      }
      if (sources.isEmpty()) {
        throw new InvalidInputException("bundler.debian.mirror", "No Debian mirror is configured: "
            + "this machine's APT configuration (" + etcApt + "/sources.list, " + etcApt
            + "/sources.list.d/) has no 'deb' source for suite " + suite + ". Set "
            + "-Dbundler.debian.mirror (<debianMirror> in the pom) to a Debian mirror URL");
      }
    }
    return new AptConfig(sources, architecture, keyring).requireKeyring();
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
        throw new InvalidInputException("bundler.debian.repositories", "'" + line + "' is not a "
            + "repository: write 'deb [signed-by=/path/to/key.asc] URL SUITE COMPONENT...'");
      }
      AptSource source = parsed.get(0);
      if (source.keyring() != null && !Files.isRegularFile(source.keyring())) {
        throw new InvalidInputException("bundler.debian.repositories", "The key " + source.keyring()
            + " of repository '" + line + "' does not exist");
      }
      all.add(source);
    }
    return new AptConfig(all, architecture, keyring);
  }

  private AptConfig requireKeyring() throws InvalidInputException {
    if (!Files.isRegularFile(keyring) && sources.stream().anyMatch(s -> s.keyring() == null && !s.unsigned())) {
      throw new InvalidInputException("bundler.debian.keyring", "The keyring " + keyring
          + " does not exist: install debian-archive-keyring or set -Dbundler.debian.keyring");
    }
    return this;
  }
}
