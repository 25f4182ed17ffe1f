package dev.bundler.maven;

import dev.bundler.BundlerException;
import dev.bundler.ImageNames;
import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryTags;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists the tags an application's image repository has in its registry: the repository of
 * {@code -Dbundler.image}, or {@code <namespace>/<package>} for {@code -Dpackage=NAME}, named as
 * {@code bundler:build} names the image. Logs in as {@code bundler:push} does.
 */
@Mojo(name = "tags", threadSafe = true, requiresProject = false)
public class TagsMojo extends ImageMojo {
  /**
   * Lets the registry login go over plain HTTP, where anyone on the way can read it (jib's
   * {@code sendCredentialsOverHttp}). Without it, a registry reached over plain HTTP (which
   * {@code allowInsecureRegistries} allows) gets no credentials. Default: {@code false}.
   */
  @Parameter(property = "bundler.sendCredentialsOverHttp", defaultValue = "false")
  boolean sendCredentialsOverHttp;

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    String repository = ImageNames.repositoryOf(image, namespace, packageSpec, packageVersion,
        workingDirectory());
    List<String> tags = new RegistryTags(registryCredentials(), allowInsecureRegistries,
        sendCredentialsOverHttp)
        .list(repository);
    getLog().info(tags.size() + " tag(s) of " + repository + (tags.isEmpty() ? "" : ":"));
    tags.forEach(tag -> getLog().info("  " + tag));
  }
}
