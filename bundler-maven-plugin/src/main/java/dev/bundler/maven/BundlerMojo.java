package dev.bundler.maven;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.CompileSettings;
import dev.bundler.DebianSettings;
import dev.bundler.InvalidInputException;
import dev.bundler.apt.UpdatePolicy;
import java.io.File;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters of the goals that build a request ({@code build}, {@code push}, {@code plan},
 * {@code compile}), besides those of every goal ({@link GoalMojo}) and of the image's name and
 * registry ({@link ImageMojo}), grouped as the core's settings are: the Debian base ({@link
 * DebianSettings}), the compile stage ({@link CompileSettings}), the image's own settings.
 */
abstract class BundlerMojo extends ImageMojo {

  // The application and its wheels

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

  // The compile stage, which builds the wheelhouse when none is given

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

  // The base image and the Debian packages

  /**
   * The base image: {@code debian} (the default: bundler builds it from the signed Debian archive,
   * see the {@code debian*} parameters), {@code scratch}, the path of an image tarball (OCI archive
   * or {@code docker save}), or a registry reference.
   */
  @Parameter(property = "bundler.from", defaultValue = "debian")
  String from;

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
   * How often bundler asks the Debian archive whether its signed indexes ({@code InRelease})
   * changed, as Maven's repository update policy does: {@code always}, {@code daily} (the first
   * build of each day), {@code interval:MINUTES} or {@code never}. In between, builds use the
   * cached, verified indexes and make no request; {@code mvn -U} asks anyway. A build with a
   * lockfile does not ask at all.
   */
  @Parameter(property = "bundler.debian.updatePolicy", defaultValue = "daily")
  String debianUpdatePolicy;

  /**
   * Extra Debian repositories, each in one-line sources.list form with its own key, for example
   * {@code deb [signed-by=${project.basedir}/nginx.asc] https://HOST/packages/debian bookworm nginx}.
   */
  @Parameter(property = "bundler.debian.repositories")
  List<String> debianRepositories;

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
   * Keeps Debian's documentation in the image: {@code /usr/share/doc}, {@code man}, {@code info}
   * and {@code locale}. By default a slim image leaves them out, as Debian's slim images do, but
   * for each package's {@code copyright} file (its licence); dpkg's file lists and the SBOM say
   * so.
   */
  @Parameter(property = "bundler.debian.keepDocumentation", defaultValue = "false")
  boolean keepDocumentation;

  /** Maven's {@code -o}: no network request, everything must be in bundler's cache. */
  @Parameter(defaultValue = "${settings.offline}", readonly = true)
  boolean offline;

  // The image: its user, architecture, time, tags, shared cache and runtime settings

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

  /**
   * The image's creation time, for reproducible images: an ISO-8601 instant or seconds since the
   * epoch. Defaults to the project's {@code project.build.outputTimestamp}, else the epoch
   * ({@code 1970-01-01T00:00:00Z}).
   */
  @Parameter(property = "bundler.creationTime", defaultValue = "${project.build.outputTimestamp}")
  String creationTime;

  /** More tags {@code bundler:push} gives the image, comma-separated ({@code latest,stable}). */
  @Parameter(property = "bundler.additionalTags")
  List<String> additionalTags;

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
   * A directory of the project's own runtime templates ({@code nginx.conf}, {@code uwsgi.ini},
   * {@code supervisord.conf}, {@code supervisor-listener.py}, {@code settings.ini}, {@code
   * cron.env}, {@code cronwrapper.sh}, {@code entrypoint.sh}), each replacing the shipped one of
   * the same name. Only the directory's own regular files are read: a symbolic or hard link, a
   * directory or a file over 1 MiB is refused.
   */
  @Parameter(property = "bundler.templates")
  String templates;

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

  /** The request these parameters describe, to be validated by its {@code build()}. */
  BundleRequest.Builder requestBuilder() throws BundlerException {
    return BundleRequest.builder()
        .workingDirectory(workingDirectory())
        .packageSpec(packageSpec)
        .version(packageVersion)
        .python(python)
        .wheelhouse(wheelhouse)
        .from(from)
        .image(image)
        .namespace(namespace)
        .appUser(appUser)
        .architecture(architecture)
        .allowInsecureRegistries(allowInsecureRegistries)
        .registryCredentials(registryCredentials())
        .templates(templates)
        .additionalTags(Values.list(additionalTags))
        .cacheRepository(cacheRepository)
        .environment(withProperty(environment, dev.bundler.Parameter.ENVIRONMENT))
        .overrideEnvironment(Values.list(overrideEnvironment))
        .ports(Values.list(ports))
        .volumes(Values.list(volumes))
        .labels(withProperty(labels, dev.bundler.Parameter.LABELS))
        .debian(debian())
        .outputDirectory(path(outputDirectory))
        .lockFile(path(lockFile))
        .compile(compile())
        .cacheDirectory(cacheDirectory.toPath())
        .creationTime(creationTime(creationTime));
  }

  /** A map parameter of the pom with the entries of its {@code -D} property added. */
  private Map<String, String> withProperty(Map<String, String> pom, dev.bundler.Parameter parameter)
      throws InvalidInputException {
    return PropertyMaps.merge(pom, parameter, property(parameter.property()));
  }

  /** Where the Debian base comes from; {@code mvn -U} checks the archive whatever the policy. */
  private DebianSettings debian() throws InvalidInputException {
    return new DebianSettings(Values.blankToNull(debianSuite), Values.blankToNull(debianMirror),
        Values.split(debianComponents), debianKeyring == null ? null : debianKeyring.toPath(),
        allowUnsigned, Values.list(runtimePackages), essential, offline,
        debianRepositories == null ? List.of() : debianRepositories,
        UpdatePolicy.parse(debianUpdatePolicy),
        session != null && session.getRequest().isUpdateSnapshots(), keepDocumentation);
  }

  /** How the compile stage builds the wheelhouse. */
  private CompileSettings compile() {
    return new CompileSettings(Values.blankToNull(index), Values.list(findLinks),
        pipConf == null ? null : pipConf.toPath(),
        constraints == null ? null : constraints.toPath(), Values.blankToNull(containerRuntime),
        Values.list(containerArgs), Values.list(buildPackages));
  }

  /**
   * The image's creation time: an ISO-8601 instant or seconds since the epoch; the core's default
   * ({@link dev.bundler.Parameter#CREATION_TIME}) when none is given.
   */
  static Instant creationTime(String value) throws InvalidInputException {
    if (value == null || value.isBlank()) {
      return Instant.parse(dev.bundler.Parameter.CREATION_TIME.defaultValue().orElseThrow());
    }
    String trimmed = value.trim();
    try {
      if (trimmed.matches("\\d+")) {
        return Instant.ofEpochSecond(Long.parseLong(trimmed));
      }
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidInputException(dev.bundler.Parameter.CREATION_TIME, "'" + value + "' is "
          + "not a time: set project.build.outputTimestamp or -Dbundler.creationTime to an "
          + "ISO-8601 instant such as 2026-01-01T00:00:00Z or to seconds since the epoch");
    }
  }
}
