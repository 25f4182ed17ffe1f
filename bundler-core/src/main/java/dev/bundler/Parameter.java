package dev.bundler;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Every parameter of bundler, defined once: its name, the property a command line sets it with,
 * its default and what it means. {@link BundleRequest.Builder} applies these defaults, and front
 * ends (the Maven plugin, any other) take their names and documented defaults from here; the
 * Maven plugin's tests check that its descriptor and the README agree with this list.
 *
 * <p>The core's messages name parameters without spelling them for one build tool: {@code "set
 * " + PYTHON + " to 3.9, 3.11 or 3.13"} holds a reference to {@link #PYTHON} ({@link
 * #toString()}, {@link #withValue}, {@link #named()}) that the front end renders the way its users
 * write the parameter ({@link ParameterSpelling}); the Maven plugin as {@code -Dbundler.python
 * (<python> in the pom)}.
 */
public enum Parameter {
  PACKAGE("package", "package", null,
      "the application: NAME==VERSION, NAME[extra]==VERSION, NAME (the newest version) or a .whl"),
  VERSION("version", "version", null, "the application's version when package names none"),
  PYTHON("python", "bundler.python", "3.11",
      "the image's Python, MAJOR.MINOR; without a Debian suite it picks one"),
  WHEELHOUSE("wheelhouse", "bundler.wheelhouse", null,
      "a directory of pre-built wheels, which skips the compile stage"),
  INDEX("index", "bundler.index", null, "a package index URL for pip wheel"),
  FIND_LINKS("findLinks", "bundler.findLinks", null,
      "directories or URLs for pip wheel --find-links"),
  PIP_CONF("pipConf", "bundler.pipConf", null, "a pip.conf for the compile step"),
  CONSTRAINTS("constraints", "bundler.constraints", null, "a pip constraints file"),
  BUILD_PACKAGES("buildPackages", "bundler.buildPackages", null,
      "Debian packages the wheels build against (libpq-dev)"),
  CONTAINER_RUNTIME("containerRuntime", "bundler.containerRuntime", null,
      "the compile step's container runtime: podman, docker or a path; else found on the PATH"),
  CONTAINER_ARGS("containerArgs", "bundler.containerArgs", null,
      "extra arguments for the container runtime's run"),
  FROM("from", "bundler.from", "debian",
      "the base image: debian, scratch, an image tarball or a registry reference"),
  DEBIAN_SUITE("debianSuite", "bundler.debian.suite", null,
      "the Debian suite of the base; by default the suite of python"),
  DEBIAN_MIRROR("debianMirror", "bundler.debian.mirror", null,
      "the Debian mirror URL; by default the machine's APT configuration's"),
  DEBIAN_COMPONENTS("debianComponents", "bundler.debian.components", "main",
      "the archive components"),
  DEBIAN_KEYRING("debianKeyring", "bundler.debian.keyring",
      "/usr/share/keyrings/debian-archive-keyring.gpg",
      "the keyring the archive must be signed by; by default the machine's Signed-By, else this"),
  DEBIAN_REPOSITORIES("debianRepositories", "bundler.debian.repositories", null,
      "extra repositories: deb [signed-by=KEY] URL SUITE COMPONENT..."),
  ALLOW_UNSIGNED("allowUnsigned", "bundler.debian.allowUnsigned", "false",
      "accept an unsigned archive"),
  DEBIAN_UPDATE_POLICY("debianUpdatePolicy", "bundler.debian.updatePolicy", "daily",
      "when the archive is asked whether its indexes changed: always, daily, interval:N, never"),
  RUNTIME_PACKAGES("runtimePackages", "bundler.runtimePackages", null,
      "Debian packages the application needs at run time (libpq5)"),
  ESSENTIAL("essential", "bundler.debian.essential", "true", "install Debian's Essential set"),
  KEEP_DOCUMENTATION("keepDocumentation", "bundler.debian.keepDocumentation", "false",
      "keep /usr/share/{doc,man,info,locale}"),
  CACHE_REPOSITORY("cacheRepository", "bundler.cacheRepository", null,
      "an OCI repository many machines share as a cache"),
  LOCK_FILE("lockFile", "bundler.lockFile", "bundler.lock.json",
      "the lockfile builds use when it exists, in the project directory"),
  ALLOW_INSECURE_REGISTRIES("allowInsecureRegistries", "bundler.allowInsecureRegistries", "false",
      "reach registries over plain HTTP or with self-signed certificates"),
  SEND_CREDENTIALS_OVER_HTTP("sendCredentialsOverHttp", "bundler.sendCredentialsOverHttp",
      "false", "send the registry login over plain HTTP too (the tags goal)"),
  IMAGE("image", "bundler.image", null,
      "the image reference; by default NAMESPACE/PACKAGE:VERSION"),
  ADDITIONAL_TAGS("additionalTags", "bundler.additionalTags", null,
      "more tags a push gives the image"),
  NAMESPACE("namespace", "bundler.namespace", "bundler",
      "the namespace of the default image name"),
  APP_USER("appUser", "bundler.appUser", "app", "the unprivileged user the application runs as"),
  ARCHITECTURE("architecture", "bundler.architecture", "amd64", "amd64 or arm64"),
  OUTPUT_DIRECTORY("outputDirectory", "bundler.outputDirectory", "target/bundler",
      "where the outputs go, in the project directory"),
  CACHE_DIRECTORY("cacheDirectory", "bundler.cacheDir", "~/.cache/bundler",
      "the layer and download cache"),
  CREATION_TIME("creationTime", "bundler.creationTime", "1970-01-01T00:00:00Z",
      "the image's creation time: an ISO-8601 instant or seconds since the epoch"),
  TEMPLATES("templates", "bundler.templates", null,
      "a directory of the project's own runtime templates"),
  ENVIRONMENT("environment", "bundler.environment", null,
      "variables added to the image's: NAME=VALUE,NAME=VALUE"),
  OVERRIDE_ENVIRONMENT("overrideEnvironment", "bundler.overrideEnvironment", null,
      "the runner's variables environment replaces on purpose"),
  PORTS("ports", "bundler.ports", null, "TCP ports exposed besides 8080 and 8081"),
  VOLUMES("volumes", "bundler.volumes", null, "volumes besides /config, /scripts and /media"),
  LABELS("labels", "bundler.labels", null, "labels added to the image's: KEY=VALUE,KEY=VALUE"),
  SKIP("skip", "bundler.skip", "false", "skip the goal"),
  OFFLINE("offline", null, "false",
      "make no network request: what is missing from the cache fails the build"),
  FORCE_UPDATE("forceUpdate", null, "false",
      "ask the Debian archive whether its indexes changed, whatever the update policy says");

  private final String id;
  private final String property;
  private final String defaultValue;
  private final String meaning;

  Parameter(String id, String property, String defaultValue, String meaning) {
    this.id = id;
    this.property = property;
    this.defaultValue = defaultValue;
    this.meaning = meaning;
  }

  /**
   * The parameter's name, as a build file writes it: the pom element, the key of a
   * configuration block ({@code debianSuite}).
   */
  public String id() {
    return id;
  }

  /**
   * The property a command line sets it with ({@code bundler.debian.suite}, Maven's {@code
   * -Dbundler.debian.suite=trixie}); {@code package} and {@code version} are not namespaced.
   * {@code null} for {@link #OFFLINE} and {@link #FORCE_UPDATE}, which build tools have switches
   * of their own for (Maven's {@code -o} and {@code -U}).
   */
  public String property() {
    return property;
  }

  /**
   * The value used when none is given, as a user would write it ({@code ~/.cache/bundler},
   * paths relative to the project directory); empty where there is none, or where it follows
   * from other parameters (the image name, the Debian suite).
   */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** What it means, in a line. */
  public String meaning() {
    return meaning;
  }

  /** The parameter named {@code id}, if there is one. */
  public static Optional<Parameter> byId(String id) {
    return Optional.ofNullable(References.byId(id));
  }

  /**
   * A reference to this parameter in a message, where the message asks the user to set, fix or
   * check it: {@code "set " + PYTHON + " to MAJOR.MINOR"}. A {@link ParameterSpelling} renders it
   * (Maven: {@code -Dbundler.python (<python> in the pom)}).
   */
  @Override
  public String toString() {
    return References.toSet(this);
  }

  /**
   * A reference to this parameter given {@code value}: {@code ARCHITECTURE.withValue("arm64") +
   * " cannot build"} (Maven: {@code -Dbundler.architecture=arm64}).
   */
  public String withValue(String value) {
    return References.withValue(this, value);
  }

  /**
   * A reference to this parameter named in passing, as where a value came from: {@code "The
   * templates directory X (" + TEMPLATES.named() + ") holds..."} (Maven: {@code
   * bundler.templates}).
   */
  public String named() {
    return References.named(this);
  }

  /** The parameters {@code message} refers to, in any form. */
  public static Set<Parameter> referencedIn(String message) {
    return References.in(message);
  }

  /**
   * The default as a path, relative to the project directory unless absolute; a leading {@code
   * ~/} is the user's home directory.
   *
   * @throws java.util.NoSuchElementException for a parameter without a default
   */
  public Path defaultPath() {
    String value = defaultValue().orElseThrow();
    return value.startsWith("~/")
        ? Path.of(System.getProperty("user.home")).resolve(value.substring(2)) : Path.of(value);
  }
}
