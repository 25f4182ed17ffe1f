package dev.bundler.apt;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One APT repository suite: {@code deb URI SUITE COMPONENTS...}, with the keyring its
 * {@code InRelease} must be signed by.
 *
 * @param uri the repository's base URL (the directory holding {@code dists/} and {@code pool/})
 * @param suite the suite or codename ({@code bookworm}, {@code bookworm-security})
 * @param components the components to read ({@code main})
 * @param keyring the keyring file, or {@code null} for the configuration's default keyring
 * @param unsigned whether the user opted into this suite having no valid signature
 */
public record AptSource(URI uri, String suite, List<String> components, Path keyring, boolean unsigned) {

  public AptSource {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("file"))) {
      throw new IllegalArgumentException("'" + uri + "' is not an http, https or file URL");
    }
    if (!uri.toString().endsWith("/")) {
      uri = URI.create(uri + "/");
    }
    Objects.requireNonNull(suite, "suite");
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("no component for " + uri + " " + suite);
    }
  }

  /**
   * The repository's URL without {@code USER:PASSWORD@}: what lockfiles record and cache file
   * names are made of.
   */
  public String location() {
    return MirrorHttp.withoutUserInfo(uri).toString();
  }

  /** {@code dists/SUITE/NAME} under the repository. */
  public URI dists(String name) {
    return uri.resolve("dists/" + suite + "/" + name);
  }

  /** A file of the pool, from a Packages {@code Filename}. */
  public URI pool(String filename) {
    return uri.resolve(filename);
  }

  @Override
  public String toString() {
    return dev.bundler.io.Redact.urls(uri.toString()) + " " + suite + " " + String.join(" ", components);
  }
}
