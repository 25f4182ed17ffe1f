package dev.bundler.maven;

import dev.bundler.BuildResult;
import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the runner image as {@code bundler:build} does (the same outputs in {@code
 * target/bundler/}) and pushes it to the registry named by {@code -Dbundler.image}: the same
 * image, with the same digest. Layers come from bundler's cache, and blobs the registry already
 * has are not uploaded again. The login comes from a {@code <server>} in Maven's settings.xml
 * whose id is the registry host, else from the Docker configuration. Needs no Docker daemon.
 */
@Mojo(
    name = "push",
    defaultPhase = LifecyclePhase.DEPLOY,
    threadSafe = true,
    requiresProject = false)
public class PushMojo extends BundlerMojo {

  @Override
  boolean writesImage() {
    return true;
  }

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    BuildResult result = Bundler.create(events).push(requestBuilder().build());
    getLog().info("Pushed " + result.pushed().image()
        + (result.pushed().tags().size() > 1 ? " (tags " + String.join(", ", result.pushed().tags()) + ")" : ""));
    getLog().info("  digest  " + result.pushed().imageDigest());
    if (result.image().tarball() != null) {
      getLog().info("  tarball " + result.image().tarball() + " (same digest)");
    } else {
      getLog().info("  no tarball: layers were mounted from the registry cache, not fetched "
          + "(bundler:build writes the tarball)");
    }
  }
}
