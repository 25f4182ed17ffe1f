package dev.bundler;

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
 * @param keepDocumentation keep {@code /usr/share/{doc,man,info,locale}}, which a slim image (the
 *     default) leaves out but for the {@code copyright} files
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
    boolean keepDocumentation) {

  public DebianSettings {
    Objects.requireNonNull(suite, "suite");
    components = List.copyOf(components);
    Objects.requireNonNull(keyring, "keyring");
    runtimePackages = List.copyOf(runtimePackages);
    repositories = List.copyOf(repositories);
  }

  /** bookworm/main from the machine's mirror, Debian's keyring, with Essential packages. */
  public static DebianSettings defaults() {
    return new DebianSettings("bookworm", null, List.of("main"),
        Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"), false, List.of(), true, false,
        List.of(), false);
  }
}
