package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Runs only the compile stage: builds the compiler image and, in one container run, the
 * wheelhouse of the application and its dependencies ({@code pip wheel}), or finds it in bundler's
 * cache. Prints the wheelhouse's directory.
 */
@Mojo(name = "compile", threadSafe = true, requiresProject = false)
public class CompileMojo extends BundlerMojo {

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    Path wheelhouse = Bundler.create(events).compile(requestBuilder().build());
    getLog().info("Wheelhouse: " + wheelhouse);
  }
}
