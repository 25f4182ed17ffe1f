package dev.bundler.maven;

import dev.bundler.BuildResult;
import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the runner image of a Python application and writes it as an OCI archive in {@code
 * target/bundler/}, with {@code image.json}, {@code image.digest} and {@code image.id}. Needs no
 * Docker daemon.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    threadSafe = true,
    requiresProject = false)
public class BuildMojo extends BundlerMojo {

  @Override
  boolean writesImage() {
    return true;
  }

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    BuildResult result = Bundler.create(events).build(requestBuilder().build());
    getLog().info("Built " + result.image().image());
    getLog().info("  digest  " + result.image().imageDigest());
    getLog().info("  tarball " + result.image().tarball());
  }
}
