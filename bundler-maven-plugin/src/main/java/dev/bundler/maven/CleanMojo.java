package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import java.io.IOException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes what {@code bundler:build} wrote into its output directory: the image tarball, {@code
 * image.json}, {@code image.digest}, {@code image.id}, the SBOM and the lockfile copy. The
 * project's own {@code bundler.lock.json} and bundler's cache are kept ({@code bundler:purge}
 * removes the cache).
 */
@Mojo(name = "clean", threadSafe = true, requiresProject = false)
public class CleanMojo extends GoalMojo {

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    Bundler bundler = Bundler.create(events);
    bundler.clean(path(outputDirectory), path(lockFile));
    afterClean(bundler);
  }

  /** More housekeeping after the outputs are gone: none here. */
  void afterClean(Bundler bundler) throws BundlerException, IOException {}
}
