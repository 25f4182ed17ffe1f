package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import java.io.File;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes what {@code bundler:build} wrote into its output directory: the image tarball, {@code
 * image.json}, {@code image.digest}, {@code image.id}, the SBOM and the lockfile copy. The
 * project's own {@code bundler.lock.json} and bundler's cache are kept ({@code bundler:purge}
 * removes the cache).
 */
@Mojo(name = "clean", threadSafe = true, requiresProject = false)
public class CleanMojo extends AbstractMojo {
  /** The output directory of the builds to clean. */
  @Parameter(
      property = "bundler.outputDirectory",
      defaultValue = "${project.build.directory}/bundler")
  File outputDirectory;

  /** The project's lockfile, which {@code clean} never removes, even inside the output directory. */
  @Parameter(property = "bundler.lockFile", defaultValue = "${project.basedir}/bundler.lock.json")
  File lockFile;

  @Parameter(property = "bundler.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project.basedir}", readonly = true)
  File basedir;

  private java.nio.file.Path output() {
    return BundlerMojo.standalone(outputDirectory,
        basedir != null ? basedir.toPath() : java.nio.file.Path.of("").toAbsolutePath());
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("bundler is skipped (bundler.skip)");
      return;
    }
    try {
      Bundler bundler = Bundler.create(new MavenEvents(getLog(), new MavenSpelling(p -> false)));
      java.nio.file.Path base = basedir != null ? basedir.toPath()
          : java.nio.file.Path.of("").toAbsolutePath();
      bundler.clean(output(), lockFile == null ? null : BundlerMojo.standalone(lockFile, base));
      afterClean(bundler);
    } catch (BundlerException | IOException | RuntimeException e) {
      Failures.rethrow(e, new MavenSpelling(p -> false));
    }
  }

  /** More housekeeping after the outputs are gone: none here. */
  void afterClean(Bundler bundler) throws BundlerException, IOException {}
}
