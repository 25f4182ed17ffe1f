package dev.bundler;

import dev.bundler.apt.UpdatePolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the base image's Debian packages come from and which to add.
 *
 * @param suite the Debian suite or codename ({@code bookworm}); its {@code -updates} and {@code
 *     -security} suites are read too
 * @param mirror the mirror URL, or {@code null} to use this machine's APT configuration
 * @param components the archive components ({@code main})
 * @param keyring the keyring the archive must be signed by
 * @param allowUnsigned accept the archive without a valid signature (explicit opt-in)
 * @param runtimePackages packages added to the runner's own
 * @param essential install Debian's Essential packages (a shell, coreutils...) as every Debian
 *     system has them
 * @param offline make no network request; everything must be in bundler's cache
 * @param repositories extra repositories, one-line {@code sources.list} form: {@code deb
 *     [signed-by=/path/key.asc] URL SUITE COMPONENT...}
 * @param updatePolicy how often the archive is asked whether its signed indexes changed; in
 *     between, builds use the cached, verified ones without a request
 * @param forceUpdate ask the archive whatever the policy says ({@code mvn -U})
 */
public record DebianSettings(
    String suite,
    String mirror,
    List<String> components,
    Path keyring,
    boolean allowUnsigned,
    List<String> runtimePackages,
    boolean essential,
    boolean offline,
    List<String> repositories,
    UpdatePolicy updatePolicy,
    boolean forceUpdate) {

  public DebianSettings {
    Objects.requireNonNull(suite, "suite");
    components = List.copyOf(components);
    Objects.requireNonNull(keyring, "keyring");
    runtimePackages = List.copyOf(runtimePackages);
    repositories = List.copyOf(repositories);
    Objects.requireNonNull(updatePolicy, "updatePolicy");
  }

  /**
   * bookworm/main from the machine's mirror, Debian's keyring, with Essential packages, the
   * archive checked daily.
   */
  public static DebianSettings defaults() {
    return new DebianSettings("bookworm", null, List.of("main"),
        Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"), false, List.of(), true, false,
        List.of(), UpdatePolicy.DAILY, false);
  }
}
