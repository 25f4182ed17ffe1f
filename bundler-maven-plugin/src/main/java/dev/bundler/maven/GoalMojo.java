package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every bundler goal shares: the skip switch, where bundler's files are (the outputs, the
 * lockfile, the cache; {@code bundler:tags} reads none of them), and the one way a goal runs:
 * skip check, the goal's work, failures translated by {@link Failures} with the parameters spelt
 * as Maven users write them ({@link MavenSpelling}).
 *
 * <p>The defaults written in the {@code @Parameter} annotations are Maven's documentation of the
 * core's ({@link dev.bundler.Parameter}); {@code PluginDescriptorTest} keeps them equal.
 */
abstract class GoalMojo extends AbstractMojo {

  /** Skips the goal. */
  @Parameter(property = "bundler.skip", defaultValue = "false")
  boolean skip;

  /** Where the image tarball, {@code image.json}, the lockfile copy and the SBOM are written. */
  @Parameter(
      property = "bundler.outputDirectory",
      defaultValue = "${project.build.directory}/bundler")
  File outputDirectory;

  /**
   * The lockfile. When it exists, builds use exactly the Debian packages and wheels it pins (and
   * fail if it is stale); {@code bundler:plan} writes it; {@code bundler:clean} never removes it,
   * even inside the output directory.
   */
  @Parameter(property = "bundler.lockFile", defaultValue = "${project.basedir}/bundler.lock.json")
  File lockFile;

  /**
   * bundler's cache of layers, downloads and wheelhouses, safe to share between builds and to
   * persist between CI runs; {@code bundler:purge} deletes it.
   */
  @Parameter(property = "bundler.cacheDir", defaultValue = "${user.home}/.cache/bundler")
  File cacheDirectory;

  /** The Maven session: its {@code -D} properties, {@code -o} and {@code -U}. */
  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Parameter(defaultValue = "${project.basedir}", readonly = true)
  File basedir;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("bundler is skipped (bundler.skip)");
      return;
    }
    MavenSpelling spelling = new MavenSpelling(this::onCommandLine);
    MavenEvents events = new MavenEvents(getLog(), spelling);
    try {
      run(events);
    } catch (BundlerException | IOException | RuntimeException e) {
      if (writesImage()) {
        removeOutputs(events, e);
      }
      Failures.rethrow(e, spelling);
    }
  }

  /** The goal's work. */
  abstract void run(EventHandler events) throws BundlerException, IOException;

  /** Whether the goal writes an image into the output directory (and so removes it on failure). */
  boolean writesImage() {
    return false;
  }

  /**
   * A failed build, even one whose parameters did not validate, leaves no image behind for a
   * later CI step to ship; the project's lockfile stays.
   */
  private void removeOutputs(EventHandler events, Exception failure) {
    try {
      Bundler.create(events).clean(path(outputDirectory), path(lockFile));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** The project's directory, where relative paths start; the current one without a project. */
  Path workingDirectory() {
    return basedir != null ? basedir.toPath() : Path.of("").toAbsolutePath();
  }

  /**
   * A path parameter; outside a project (no pom) Maven leaves {@code ${project.basedir}}
   * unresolved in defaults, which means the current directory there. {@code null} stays null.
   */
  Path path(File file) {
    return file == null ? null : standalone(file, workingDirectory());
  }

  static Path standalone(File path, Path workingDirectory) {
    String text = path.getPath();
    int at = text.indexOf("${project.basedir}");
    return at < 0
        ? path.toPath()
        : Path.of(workingDirectory + text.substring(at + "${project.basedir}".length()));
  }

  /** A property given with {@code -D} (or as a system property), or {@code null}. */
  String property(String name) {
    if (session == null) {
      return System.getProperty(name);
    }
    return session.getUserProperties().getProperty(name,
        session.getSystemProperties().getProperty(name));
  }

  private boolean onCommandLine(String property) {
    return session != null ? session.getUserProperties().containsKey(property)
        : System.getProperty(property) != null;
  }
}
