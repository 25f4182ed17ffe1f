package dev.bundler;

import java.nio.file.Path;
import java.util.List;

/**
 * How the compile stage builds the wheelhouse: where pip finds distributions, and which container
 * runtime runs it.
 *
 * @param index a package index URL ({@code --index-url}), or {@code null} for none
 * @param findLinks directories or URLs of distributions ({@code --find-links})
 * @param pipConf a {@code pip.conf} to use, or {@code null}
 * @param constraints a constraints file ({@code -c}), or {@code null}
 * @param containerRuntime {@code podman}, {@code docker}, a path, or {@code null} to search the PATH
 * @param containerArgs extra arguments for {@code RUNTIME run}
 * @param buildPackages Debian packages the build needs besides build-essential and the Python
 *     headers (for example {@code libpq-dev})
 */
public record CompileSettings(String index, List<String> findLinks, Path pipConf, Path constraints,
    String containerRuntime, List<String> containerArgs, List<String> buildPackages) {

  public CompileSettings {
    findLinks = List.copyOf(findLinks);
    containerArgs = List.copyOf(containerArgs);
    buildPackages = List.copyOf(buildPackages);
  }

  public static CompileSettings defaults() {
    return new CompileSettings(null, List.of(), null, null, null, List.of(), List.of());
  }

  /** Whether pip has anywhere to look: without, a wheelhouse must be given. */
  public boolean hasSources() {
    return index != null || !findLinks.isEmpty() || pipConf != null;
  }
}
