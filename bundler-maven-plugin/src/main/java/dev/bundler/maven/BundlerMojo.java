package dev.bundler.maven;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.CompileSettings;
import dev.bundler.DebianSettings;
import dev.bundler.apt.UpdatePolicy;
import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryCredentials;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The parameters every bundler goal shares, and the one way a goal runs: skip check, request,
 * core call, failures translated by {@link Failures}.
 */
abstract class BundlerMojo extends AbstractMojo {

  /** Skips the goal. */
  @Parameter(property = "bundler.skip", defaultValue = "false")
  boolean skip;

  /**
   * The application to bundle: {@code NAME==VERSION} (extras allowed: {@code NAME[extra]==VERSION}),
   * {@code NAME} together with {@code version}, or the path of a {@code .whl} file.
   */
  @Parameter(alias = "package", property = "package")
  String packageSpec;

  /** The application's version, when {@code package} gives only its name. */
  @Parameter(alias = "version", property = "version")
  String packageVersion;

  /**
   * The Python version the image runs, {@code MAJOR.MINOR}. Wheels must be compatible with it.
   * It picks the Debian suite unless {@code debianSuite} is set: {@code 3.9} bullseye, {@code
   * 3.11} bookworm, {@code 3.13} trixie. Default: the Python of {@code debianSuite} when it is
   * set, else {@code 3.11}.
   */
  @Parameter(property = "bundler.python")
  String python;

  /**
   * A directory of pre-built wheels: the application's and all its dependencies'. The compile
   * stage (which builds it in a container) is skipped when it is given.
   */
  @Parameter(property = "bundler.wheelhouse")
  String wheelhouse;

  /**
   * The base image: {@code debian} (the default: bundler builds it from the signed Debian archive,
   * see the {@code debian*} parameters), {@code scratch}, the path of an image tarball (OCI archive
   * or {@code docker save}), or a registry reference.
   */
  @Parameter(property = "bundler.from", defaultValue = "debian")
  String from;

  /** The image reference to tag the result with. Default: {@code <namespace>/<package>:<version>}. */
  @Parameter(property = "bundler.image")
  String image;

  /** The unprivileged user the application runs as (uid 1000, group {@code www-data}). */
  @Parameter(property = "bundler.appUser", defaultValue = "app")
  String appUser;

  /**
   * The Debian architecture of the image: {@code amd64} or {@code arm64}. An image of another
   * architecture than the build machine's needs pre-built wheels ({@code wheelhouse}): pip cannot
   * run there. Its bytecode is compiled by its own interpreter under QEMU user-mode emulation
   * ({@code qemu-aarch64-static} or {@code qemu-x86_64-static} on the PATH, Debian package
   * {@code qemu-user-static}); without it the image ships no bytecode, with a warning.
   */
  @Parameter(property = "bundler.architecture", defaultValue = "amd64")
  String architecture;

  /** Where the image tarball, {@code image.json}, the lockfile and the SBOM are written. */
  @Parameter(
      property = "bundler.outputDirectory",
      defaultValue = "${project.build.directory}/bundler")
  File outputDirectory;

  /**
   * bundler's cache of layers, downloads and wheelhouses, safe to share between builds and to
   * persist between CI runs.
   */
  @Parameter(property = "bundler.cacheDir", defaultValue = "${user.home}/.cache/bundler")
  File cacheDirectory;

  /**
   * The image's creation time, for reproducible images: an ISO-8601 instant or seconds since the
   * epoch. Defaults to the project's {@code project.build.outputTimestamp}, else the epoch.
   */
  @Parameter(property = "bundler.creationTime", defaultValue = "${project.build.outputTimestamp}")
  String creationTime;

  /**
   * Lets bundler reach registries over plain HTTP or with unverified certificates: for a local or
   * test registry only.
   */
  @Parameter(property = "bundler.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  /**
   * An OCI repository that many machines share as a cache ({@code HOST[:PORT]/team/bundler-cache}):
   * every layer, wheelhouse and bytecode bundler makes is recorded there under its input key,
   * and a build looks there before making anything itself (a push mounts cached layers from it
   * instead of downloading them). Logged in to as pushes are; a cache that does not answer is a
   * warning, never a failure. Default: none.
   */
  @Parameter(property = "bundler.cacheRepository")
  String cacheRepository;

  /**
   * Keeps Debian's documentation in the image: {@code /usr/share/doc}, {@code man}, {@code info}
   * and {@code locale}. By default a slim image leaves them out, as Debian's slim images do, but
   * for each package's {@code copyright} file (its licence); dpkg's file lists and the SBOM say
   * so.
   */
  @Parameter(property = "bundler.debian.keepDocumentation", defaultValue = "false")
  boolean keepDocumentation;

  /**
   * The Debian suite (codename) of the base; its -updates and -security suites are read too.
   * Default: the suite of {@code python} (bullseye for 3.9, bookworm for 3.11, trixie for 3.13).
   */
  @Parameter(property = "bundler.debian.suite")
  String debianSuite;

  /**
   * The Debian mirror URL ({@code http://HOST/debian}). Default: the mirror of this machine's APT
   * configuration ({@code /etc/apt/sources.list.d/}). A {@code .../debian} mirror implies the
   * matching {@code .../debian-security} archive.
   */
  @Parameter(property = "bundler.debian.mirror")
  String debianMirror;

  /** The archive components, comma-separated. */
  @Parameter(property = "bundler.debian.components", defaultValue = "main")
  String debianComponents;

  /**
   * The OpenPGP keyring the archive's InRelease files must be signed by. When set, it is used
   * for the Debian archive whatever the machine's APT configuration says ({@code Signed-By}).
   * Default: the {@code Signed-By} of the machine's APT sources, else {@code
   * /usr/share/keyrings/debian-archive-keyring.gpg}. An empty or unreadable file fails the build.
   */
  @Parameter(property = "bundler.debian.keyring")
  File debianKeyring;

  /** Accepts an archive whose signature is missing or invalid. Never do this for production. */
  @Parameter(property = "bundler.debian.allowUnsigned", defaultValue = "false")
  boolean allowUnsigned;

  /**
   * Debian packages the application needs at run time, besides the runner's own (Python, nginx,
   * uwsgi, supervisor, cron...): for example {@code libpq5}. Comma-separated on the command line.
   */
  @Parameter(property = "bundler.runtimePackages")
  List<String> runtimePackages;

  /** Installs Debian's Essential packages (shell, coreutils...), as every Debian system has them. */
  @Parameter(property = "bundler.debian.essential", defaultValue = "true")
  boolean essential;

  /**
   * The lockfile. When it exists, builds use exactly the Debian packages and wheels it pins (and
   * fail if it is stale); {@code bundler:plan} writes it.
   */
  @Parameter(property = "bundler.lockFile", defaultValue = "${project.basedir}/bundler.lock.json")
  File lockFile;

  /**
   * Extra Debian repositories, each in one-line sources.list form with its own key, for example
   * {@code deb [signed-by=${project.basedir}/nginx.asc] https://HOST/packages/debian bookworm nginx}.
   */
  @Parameter(property = "bundler.debian.repositories")
  List<String> debianRepositories;

  /** A Python package index URL for pip (the container then gets network access). */
  @Parameter(property = "bundler.index")
  String index;

  /**
   * Directories or URLs where pip finds distributions ({@code --find-links}), comma-separated;
   * local directories are mounted read-only into the compile container.
   */
  @Parameter(property = "bundler.findLinks")
  List<String> findLinks;

  /** A {@code pip.conf} for the compile step (index URLs, trusted hosts...). */
  @Parameter(property = "bundler.pipConf")
  File pipConf;

  /** A pip constraints file ({@code -c}) for the compile step. */
  @Parameter(property = "bundler.constraints")
  File constraints;

  /**
   * The container runtime of the compile step: {@code podman}, {@code docker} or the path of a
   * binary. Default: podman, else docker, from the PATH.
   */
  @Parameter(property = "bundler.containerRuntime")
  String containerRuntime;

  /** Extra arguments for the container runtime's {@code run}, comma-separated. */
  @Parameter(property = "bundler.containerArgs")
  List<String> containerArgs;

  /**
   * Debian packages the compile step needs besides build-essential and the Python headers: the
   * {@code -dev} packages of C libraries the wheels build against (e.g. {@code libpq-dev}).
   */
  @Parameter(property = "bundler.buildPackages")
  List<String> buildPackages;

  /**
   * A directory of the project's own runtime templates ({@code nginx.conf}, {@code uwsgi.ini},
   * {@code supervisord.conf}, {@code supervisor-listener.py}, {@code settings.ini}, {@code
   * cron.env}, {@code cronwrapper.sh}, {@code entrypoint.sh}), each replacing the shipped one of
   * the same name. Only the directory's own regular files are read: a symbolic or hard link, a
   * directory or a file over 1 MiB is refused.
   */
  @Parameter(property = "bundler.templates")
  String templates;

  /**
   * The namespace of the default image name {@code <namespace>/<package>:<version>}
   * ({@code bluesolutions}, or with a registry {@code HOST:PORT/team}).
   */
  @Parameter(property = "bundler.namespace", defaultValue = "bundler")
  String namespace;

  /** More tags {@code bundler:push} gives the image, comma-separated ({@code latest,stable}). */
  @Parameter(property = "bundler.additionalTags")
  List<String> additionalTags;

  /**
   * How often bundler asks the Debian archive whether its signed indexes ({@code InRelease})
   * changed, as Maven's repository update policy does: {@code always}, {@code daily} (the first
   * build of each day), {@code interval:MINUTES} or {@code never}. In between, builds use the
   * cached, verified indexes and make no request; {@code mvn -U} asks anyway. A build with a
   * lockfile does not ask at all.
   */
  @Parameter(property = "bundler.debian.updatePolicy", defaultValue = "daily")
  String debianUpdatePolicy;

  /**
   * Environment variables added to the image's, as Jib's {@code <container><environment>}:
   * {@code <environment><GREETING_STYLE>loud</GREETING_STYLE></environment>}, or on the command
   * line {@code -Dbundler.environment=NAME=VALUE,NAME=VALUE} (added to the pom's, winning over
   * them; a value with a comma belongs in the pom). The same variables in any order give the
   * same image. The runner's {@code PATH}, {@code DJANGO_SETTINGS_MODULE}, {@code LANG} and
   * {@code <PACKAGE>_CONFIG} are replaced only when {@code overrideEnvironment} names them, and
   * the build warns that they are; {@code HOME}, {@code VIRTUAL_ENV}, {@code APP_NAME}, {@code
   * APP_PACKAGE}, {@code APP_VERSION}, {@code PYTHON_VERSION} and {@code <PACKAGE>_SERVICE} are
   * the entrypoint's and are refused.
   */
  @Parameter
  Map<String, String> environment;

  /**
   * The runner's own variables that {@code environment} replaces on purpose, comma-separated:
   * {@code PATH}, {@code DJANGO_SETTINGS_MODULE}, {@code LANG} or {@code <PACKAGE>_CONFIG}.
   */
  @Parameter(property = "bundler.overrideEnvironment")
  List<String> overrideEnvironment;

  /**
   * TCP ports the image exposes besides the runner's 8080 and 8081, comma-separated: {@code
   * 9000}, {@code 9000/tcp} or a range {@code 9000-9010}, as Jib's {@code <container><ports>}.
   */
  @Parameter(property = "bundler.ports")
  List<String> ports;

  /**
   * Volumes besides the runner's {@code /config}, {@code /scripts} and {@code /media},
   * comma-separated absolute paths ({@code /data}). A volume over the image's own files (the
   * virtualenv, the templates, {@code /usr}, {@code /etc}...) is refused: it would keep the
   * first container's files across image versions.
   */
  @Parameter(property = "bundler.volumes")
  List<String> volumes;

  /**
   * Labels added to the image's, as Jib's {@code <container><labels>}: {@code
   * <labels><org.example.team>ops</org.example.team></labels>}, or {@code
   * -Dbundler.labels=KEY=VALUE,KEY=VALUE}. They may replace the runner's {@code
   * org.opencontainers.image.title} and {@code .description} (with a warning), not {@code
   * .created} or {@code .version}, which follow the build.
   */
  @Parameter
  Map<String, String> labels;

  @Parameter(defaultValue = "${settings.offline}", readonly = true)
  boolean offline;

  /** The Maven session: {@code -U} ({@code isUpdateSnapshots}) forces a check of the archive. */
  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Parameter(defaultValue = "${project.basedir}", readonly = true)
  File basedir;

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
    Path workingDirectory = basedir != null ? basedir.toPath() : Path.of("").toAbsolutePath();
    try {
      dev.bundler.Bundler.create(events).clean(standalone(outputDirectory, workingDirectory),
          lockFile == null ? null : standalone(lockFile, workingDirectory));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** The request these parameters describe, validated. */
  BundleRequest.Builder requestBuilder() throws BundlerException {
    Path workingDirectory = basedir != null ? basedir.toPath() : Path.of("").toAbsolutePath();
    return BundleRequest.builder()
        .packageSpec(packageSpec)
        .version(packageVersion)
        .python(python)
        .wheelhouse(wheelhouse)
        .from(from)
        .image(image)
        .appUser(appUser, 1000, 33)
        .architecture(architecture)
        .allowInsecureRegistries(allowInsecureRegistries)
        .registryCredentials(registryCredentials())
        .templates(templates)
        .namespace(namespace == null ? "bundler" : namespace)
        .additionalTags(list(additionalTags))
        .cacheRepository(cacheRepository)
        .environment(PropertyMaps.merge(environment, dev.bundler.Parameter.ENVIRONMENT,
            property("bundler.environment")))
        .overrideEnvironment(list(overrideEnvironment))
        .ports(list(ports))
        .volumes(list(volumes))
        .labels(PropertyMaps.merge(labels, dev.bundler.Parameter.LABELS,
            property("bundler.labels")))
        .debian(new DebianSettings(blankToNull(debianSuite), blankToNull(debianMirror),
            split(debianComponents), debianKeyring == null ? null : debianKeyring.toPath(),
            allowUnsigned,
            list(runtimePackages),
            essential, offline, debianRepositories == null ? List.of() : debianRepositories,
            UpdatePolicy.parse(debianUpdatePolicy),
            session != null && session.getRequest().isUpdateSnapshots(), keepDocumentation))
        .workingDirectory(workingDirectory)
        .outputDirectory(standalone(outputDirectory, workingDirectory))
        .lockFile(lockFile == null ? null : standalone(lockFile, workingDirectory))
        .compile(new CompileSettings(blankToNull(index), list(findLinks),
            pipConf == null ? null : pipConf.toPath(),
            constraints == null ? null : constraints.toPath(), blankToNull(containerRuntime),
            list(containerArgs), list(buildPackages)))
        .cacheDirectory(cacheDirectory.toPath())
        .creationTime(creationTime(creationTime));
  }

  /**
   * Registry logins from Maven's settings.xml, as jib's Maven plugin reads them: a {@code
   * <server>} with a {@code <username>}, its {@code <id>} the registry host ({@code
   * HOST:PORT}); encrypted passwords are decrypted. Registries without one get the
   * Docker configuration's credentials.
   */
  Map<String, RegistryCredentials> registryCredentials() {
    Map<String, RegistryCredentials> logins = new HashMap<>();
    if (settings == null) {
      return logins;
    }
    for (Server server : settings.getServers()) {
      if (server.getId() == null || server.getUsername() == null) {
        continue;
      }
      Server login = server;
      if (settingsDecrypter != null) {
        SettingsDecryptionResult result =
            settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        result.getProblems().forEach(problem -> getLog().warn("The password of the <server> "
            + server.getId() + " in settings.xml cannot be decrypted: " + problem.getMessage()));
        if (result.getServer() != null) {
          login = result.getServer();
        }
      }
      logins.put(server.getId(), new RegistryCredentials(login.getUsername(),
          login.getPassword() == null ? "" : login.getPassword()));
    }
    return logins;
  }

  /** A property given with {@code -D} (or as a system property), or {@code null}. */
  private String property(String name) {
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

  /**
   * Outside a project (no pom) Maven leaves {@code ${project.basedir}} unresolved in defaults; it
   * means the current directory there.
   */
  static Path standalone(File path, Path workingDirectory) {
    String text = path.getPath();
    int at = text.indexOf("${project.basedir}");
    return at < 0
        ? path.toPath()
        : Path.of(workingDirectory + text.substring(at + "${project.basedir}".length()));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A list parameter, whose elements may themselves be comma-separated (from -D). */
  private static List<String> list(List<String> values) {
    return values == null ? List.of() : split(String.join(",", values));
  }

  private static List<String> split(String value) {
    List<String> parts = new java.util.ArrayList<>();
    for (String part : value.split("[,\\s]+")) {
      if (!part.isBlank()) {
        parts.add(part.strip());
      }
    }
    return parts;
  }

  static Instant creationTime(String value) throws dev.bundler.InvalidInputException {
    if (value == null || value.isBlank()) {
      return Instant.EPOCH;
    }
    String trimmed = value.trim();
    try {
      if (trimmed.matches("\\d+")) {
        return Instant.ofEpochSecond(Long.parseLong(trimmed));
      }
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new dev.bundler.InvalidInputException(
          dev.bundler.Parameter.CREATION_TIME,
          "'" + value + "' is not a time: set project.build.outputTimestamp or "
              + "-Dbundler.creationTime to an ISO-8601 instant such as 2026-01-01T00:00:00Z or "
              + "to seconds since the epoch");
    }
  }
}
