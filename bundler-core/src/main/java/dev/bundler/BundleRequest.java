package dev.bundler;

import dev.bundler.image.BaseImage;
import dev.bundler.image.RegistryCredentials;
import dev.bundler.runner.ImageSettings;
import dev.bundler.runner.RunnerLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a build needs to know, validated: which application, for which Python, from which
 * wheels, on which base, named how, written where.
 *
 * <p>Build it with {@link #builder()}; {@link Builder#build()} checks every value and reports the
 * first bad one as an {@link InvalidInputException} naming its parameter.
 *
 * @param application the application distribution and its version
 * @param python the target Python version, {@code MAJOR.MINOR}
 * @param wheelhouse a directory of pre-built wheels, or {@code null}
 * @param base the image the layers go on
 * @param image the full image reference to tag the result with
 * @param outputDirectory where the image tarball and its metadata go
 * @param cacheDirectory bundler's cache of layers and downloads
 * @param appUser the unprivileged user the application runs as
 * @param appUid the user's numeric id
 * @param appGid the user's numeric group id ({@code www-data} is 33 on Debian)
 * @param creationTime the image's creation time, fixed for reproducibility
 * @param architecture the Debian architecture name of the image ({@code amd64}, {@code arm64})
 * @param allowInsecureRegistries whether registries may be reached over plain HTTP
 * @param debian where the Debian base's packages come from, when {@code base} is Debian
 * @param lockFile the lockfile pinning the resolution, used if it exists; or {@code null}
 * @param compile how the wheelhouse is built when none is given
 * @param additionalTags more tags {@code bundler:push} gives the image ({@code latest})
 * @param templates a directory of the project's own runtime templates replacing the shipped
 *     ones of the same name, or {@code null}
 * @param registryCredentials logins by registry host ({@code HOST:PORT}); registries
 *     not named get the Docker configuration's credentials
 * @param imageSettings environment variables, ports, volumes and labels the project adds to the
 *     runner's own
 * @param cacheRepository the OCI repository shared as a cache by many machines ({@code
 *     HOST[:PORT]/team/bundler-cache}), or {@code null}
 * @param namespace the namespace of the default image name ({@code NAMESPACE/PACKAGE:VERSION})
 * @param imageGiven whether {@code image} was given, rather than made from the namespace, the
 *     package's name and its version
 */
public record BundleRequest(
    PackageSpec application,
    String python,
    Path wheelhouse,
    BaseImage base,
    String image,
    Path outputDirectory,
    Path cacheDirectory,
    String appUser,
    int appUid,
    int appGid,
    Instant creationTime,
    String architecture,
    boolean allowInsecureRegistries,
    DebianSettings debian,
    Path lockFile,
    CompileSettings compile,
    List<String> additionalTags,
    Path templates,
    Map<String, RegistryCredentials> registryCredentials,
    ImageSettings imageSettings,
    String cacheRepository,
    String namespace,
    boolean imageGiven) {

  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,30}");
  private static final int APP_UID = 1000;
  private static final int APP_GID = 33;

  public BundleRequest {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    Objects.requireNonNull(appUser, "appUser");
    Objects.requireNonNull(creationTime, "creationTime");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(debian, "debian");
    Objects.requireNonNull(debian.suite(), "debian.suite");
    Objects.requireNonNull(compile, "compile");
    Objects.requireNonNull(imageSettings, "imageSettings");
    registryCredentials = Map.copyOf(registryCredentials);
    additionalTags = List.copyOf(additionalTags);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * This request for the application at {@code version}, found when the package named none: the
   * default image name gets it as its tag.
   */
  public BundleRequest withVersion(String version) {
    PackageSpec pinned = application.withVersion(version);
    String reference = imageGiven ? image : ImageNames.defaultImage(namespace, pinned);
    return new BundleRequest(pinned, python, wheelhouse, base, reference, outputDirectory,
        cacheDirectory, appUser, appUid, appGid, creationTime, architecture,
        allowInsecureRegistries, debian, lockFile, compile, additionalTags, templates,
        registryCredentials, imageSettings, cacheRepository, namespace, imageGiven);
  }

  /** This request without its registry logins, to describe it where no secret may go. */
  public BundleRequest withoutCredentials() {
    return new BundleRequest(application, python, wheelhouse, base, image, outputDirectory,
        cacheDirectory, appUser, appUid, appGid, creationTime, architecture,
        allowInsecureRegistries, debian, lockFile, compile, additionalTags, templates,
        Map.of(), imageSettings, cacheRepository, namespace, imageGiven);
  }

  /** A builder holding raw values, as they come from a pom or a command line. */
  public static final class Builder {
    private String packageSpec;
    private String version;
    private String python;
    private String wheelhouse;
    private String from = Parameter.FROM.defaultValue().orElseThrow();
    private String image;
    private Path outputDirectory = Parameter.OUTPUT_DIRECTORY.defaultPath();
    private Path cacheDirectory = Parameter.CACHE_DIRECTORY.defaultPath();
    private Path workingDirectory = Path.of("");
    private String appUser = Parameter.APP_USER.defaultValue().orElseThrow();
    private int appUid = APP_UID;
    private int appGid = APP_GID;
    private Instant creationTime =
        Instant.parse(Parameter.CREATION_TIME.defaultValue().orElseThrow());
    private String architecture = Parameter.ARCHITECTURE.defaultValue().orElseThrow();
    private boolean allowInsecureRegistries;
    private DebianSettings debian = DebianSettings.defaults();
    private Path lockFile;
    private CompileSettings compile = CompileSettings.defaults();
    private Map<String, RegistryCredentials> registryCredentials = Map.of();
    private String templates;
    private String namespace = Parameter.NAMESPACE.defaultValue().orElseThrow();
    private List<String> additionalTags = List.of();
    private String cacheRepository;
    private Map<String, String> environment = Map.of();
    private List<String> overrideEnvironment = List.of();
    private List<String> ports = List.of();
    private List<String> volumes = List.of();
    private Map<String, String> labels = Map.of();

    private Builder() {}

    /**
     * Environment variables added to the runner's. One of the runner's own ({@code PATH},
     * {@code DJANGO_SETTINGS_MODULE}...) is replaced only when {@link #overrideEnvironment} names
     * it; see {@link ImageSettings#of}.
     */
    public Builder environment(Map<String, String> value) {
      this.environment = new java.util.LinkedHashMap<>(value);
      return this;
    }

    /** The runner's variables {@link #environment} replaces on purpose. */
    public Builder overrideEnvironment(List<String> value) {
      this.overrideEnvironment = List.copyOf(value);
      return this;
    }

    /** More exposed ports ({@code 9000}, {@code 9000/tcp}, {@code 9000-9010}). */
    public Builder ports(List<String> value) {
      this.ports = List.copyOf(value);
      return this;
    }

    /** More volumes (absolute paths). */
    public Builder volumes(List<String> value) {
      this.volumes = List.copyOf(value);
      return this;
    }

    /** More labels. */
    public Builder labels(Map<String, String> value) {
      this.labels = new java.util.LinkedHashMap<>(value);
      return this;
    }

    /**
     * The OCI repository many machines share as a cache of layers, wheelhouses and bytecode
     * ({@code HOST[:PORT]/team/bundler-cache}), or {@code null} for none.
     */
    public Builder cacheRepository(String value) {
      this.cacheRepository = value == null || value.isBlank() ? null : value.strip();
      return this;
    }

    /** More tags for {@code bundler:push} ({@code latest}, {@code stable}). */
    public Builder additionalTags(List<String> value) {
      this.additionalTags = List.copyOf(value);
      return this;
    }

    /**
     * The namespace of the default image name {@code NAMESPACE/PACKAGE:VERSION}, possibly with a
     * registry ({@code HOST:PORT/team}); ignored when {@link #image} is set.
     */
    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    /** A directory of the project's own templates ({@code nginx.conf}...), or {@code null}. */
    public Builder templates(String value) {
      this.templates = value;
      return this;
    }

    /** {@code NAME==VERSION}, {@code NAME[extra]==VERSION}, {@code NAME} or a {@code .whl} path. */
    public Builder packageSpec(String value) {
      this.packageSpec = value;
      return this;
    }

    /** The version, when {@link #packageSpec} names none. */
    public Builder version(String value) {
      this.version = value;
      return this;
    }

    /**
     * The Python version, {@code MAJOR.MINOR}; by default the Python of the Debian suite when
     * one is named, else 3.11. It picks the suite when none is named (3.9 bullseye, 3.11
     * bookworm, 3.13 trixie).
     */
    public Builder python(String value) {
      if (value != null && !value.isBlank()) {
        this.python = value.trim();
      }
      return this;
    }

    public Builder wheelhouse(String value) {
      this.wheelhouse = value;
      return this;
    }

    /** {@code scratch}, an image tarball or a registry reference. */
    public Builder from(String value) {
      this.from = value;
      return this;
    }

    public Builder image(String value) {
      this.image = value;
      return this;
    }

    public Builder outputDirectory(Path value) {
      this.outputDirectory = Objects.requireNonNull(value);
      return this;
    }

    public Builder cacheDirectory(Path value) {
      this.cacheDirectory = Objects.requireNonNull(value);
      return this;
    }

    /** The directory relative paths are resolved against (the Maven project's base directory). */
    public Builder workingDirectory(Path value) {
      this.workingDirectory = Objects.requireNonNull(value);
      return this;
    }

    /** The unprivileged user the application runs as, with uid 1000 in group www-data (33). */
    public Builder appUser(String name) {
      return appUser(name, APP_UID, APP_GID);
    }

    /**
     * The application user with its numeric ids; these are not parameters of a build but of
     * the image layout, which a caller may change (a uid of 0, root's, is refused).
     */
    public Builder appUser(String name, int uid, int gid) {
      this.appUser = name;
      this.appUid = uid;
      this.appGid = gid;
      return this;
    }

    public Builder creationTime(Instant value) {
      this.creationTime = Objects.requireNonNull(value);
      return this;
    }

    public Builder architecture(String value) {
      this.architecture = value;
      return this;
    }

    /** Registry logins by registry host; the password never reaches a log or an output. */
    public Builder registryCredentials(Map<String, RegistryCredentials> value) {
      this.registryCredentials = Map.copyOf(value);
      return this;
    }

    /** Lets registries be reached over plain HTTP (local and test registries). */
    public Builder allowInsecureRegistries(boolean value) {
      this.allowInsecureRegistries = value;
      return this;
    }

    /** Where the Debian base comes from. */
    public Builder debian(DebianSettings value) {
      this.debian = Objects.requireNonNull(value);
      return this;
    }

    /** How to build the wheelhouse when none is given. */
    public Builder compile(CompileSettings value) {
      this.compile = Objects.requireNonNull(value);
      return this;
    }

    /** The lockfile to honour if it exists (and that bundler:plan writes). */
    public Builder lockFile(Path value) {
      this.lockFile = value;
      return this;
    }

    /** Validates every value and returns the request. */
    public BundleRequest build() throws InvalidInputException {
      RequestPaths paths = new RequestPaths(workingDirectory);
      PackageSpec application = PackageSpec.parse(packageSpec, version, workingDirectory);
      String python = debian.python(this.python);
      BaseImage baseImage = BaseImage.parse(from, workingDirectory);
      DebianSettings debian = this.debian.withSuiteFor(python, baseImage);
      Path wheels = paths.wheelhouse(wheelhouse);
      Path cache = paths.directory(cacheDirectory, Parameter.CACHE_DIRECTORY,
          "bundler's cache directory");
      Path output = paths.directory(outputDirectory, Parameter.OUTPUT_DIRECTORY,
          "The output directory");
      requireUnprivilegedUser();
      String arch = architecture == null ? "" : architecture.trim().toLowerCase(Locale.ROOT);
      if (!arch.equals("amd64") && !arch.equals("arm64")) {
        throw new InvalidInputException(Parameter.ARCHITECTURE, "'" + architecture + "' is not a "
            + "supported architecture: set " + Parameter.ARCHITECTURE + " to amd64 or arm64");
      }
      String namespace = ImageNames.namespace(this.namespace);
      if (cacheRepository != null) {
        dev.bundler.image.RegistryCache.validate(cacheRepository);
      }
      boolean imageGiven = image != null && !image.isBlank();
      String reference = imageGiven ? image.trim()
          : ImageNames.defaultImage(namespace, application);
      return new BundleRequest(application, python, wheels, baseImage, reference, output, cache,
          appUser, appUid, appGid, creationTime, arch, allowInsecureRegistries, debian,
          paths.lockFile(lockFile), paths.compile(compile), ImageNames.tags(additionalTags),
          paths.templates(templates), registryCredentials,
          ImageSettings.of(environment, overrideEnvironment, ports, volumes, labels,
              new RunnerLayout(appUser, appUid, appGid, application.name(),
                  application.version(), python)),
          cacheRepository, namespace, imageGiven);
    }

    /**
     * Refuses root, and names that are not user names. The uid and gid come from the caller
     * ({@link #appUser(String, int, int)}), not from a parameter: a bad one is the caller's bug.
     */
    private void requireUnprivilegedUser() throws InvalidInputException {
      if (!USER.matcher(appUser).matches() || appUser.equals("root")) {
        throw new InvalidInputException(Parameter.APP_USER, "'" + appUser + "' is not a valid "
            + "unprivileged user name: set " + Parameter.APP_USER + " to a lower-case name such "
            + "as app");
      }
      if (appUid <= 0 || appGid < 0) {
        throw new IllegalArgumentException("The application user " + appUser + " needs a uid "
            + "above 0 (not root's) and a gid of 0 or more, not " + appUid + ":" + appGid
            + ": fix the call of BundleRequest.Builder.appUser (the ids are not parameters)");
      }
    }
  }
}
