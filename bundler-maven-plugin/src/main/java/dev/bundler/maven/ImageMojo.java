package dev.bundler.maven;

import dev.bundler.image.RegistryCredentials;
import java.util.Map;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters of the goals that name the application's image and reach its registry
 * ({@code bundler:tags} and the building goals): the application, the image's name, and how
 * registries are reached and logged in to.
 */
abstract class ImageMojo extends GoalMojo {

  /**
   * The application to bundle: {@code NAME==VERSION} (extras allowed: {@code NAME[extra]==VERSION}),
   * {@code NAME} together with {@code version}, or the path of a {@code .whl} file.
   */
  @Parameter(alias = "package", property = "package")
  String packageSpec;

  /** The application's version, when {@code package} gives only its name. */
  @Parameter(alias = "version", property = "version")
  String packageVersion;

  /** The image reference to tag the result with. Default: {@code <namespace>/<package>:<version>}. */
  @Parameter(property = "bundler.image")
  String image;

  /**
   * The namespace of the default image name {@code <namespace>/<package>:<version>}
   * ({@code bluesolutions}, or with a registry {@code HOST:PORT/team}).
   */
  @Parameter(property = "bundler.namespace", defaultValue = "bundler")
  String namespace;

  /**
   * Lets bundler reach registries over plain HTTP or with unverified certificates: for a local or
   * test registry only.
   */
  @Parameter(property = "bundler.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  /** Maven's settings: each {@code <server>} whose id is a registry host is a registry login. */
  @Parameter(defaultValue = "${settings}", readonly = true)
  Settings settings;

  @Component
  SettingsDecrypter settingsDecrypter;

  /** {@code <package>} in a pom: {@code package} is a Java keyword, so no field can have its name. */
  public void setPackage(String value) {
    this.packageSpec = value;
  }

  /** {@code <version>} in a pom. */
  public void setVersion(String value) {
    this.packageVersion = value;
  }

  /** The registry logins of Maven's settings ({@link MavenLogins}). */
  Map<String, RegistryCredentials> registryCredentials() {
    return MavenLogins.of(settings, settingsDecrypter, getLog());
  }
}
