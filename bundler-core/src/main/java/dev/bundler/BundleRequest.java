package dev.bundler;

import dev.bundler.apt.DebianSuites;
import dev.bundler.image.BaseImage;
import dev.bundler.image.RegistryCredentials;
import dev.bundler.runner.ImageSettings;
import dev.bundler.runner.RunnerLayout;
import java.nio.file.Files;
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

  private static final Pattern PYTHON = Pattern.compile("3\\.\\d{1,2}");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,30}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern NAMESPACE =
      Pattern.compile("([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

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
    String reference = imageGiven ? image : defaultImage(namespace, pinned);
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

  /**
   * {@code NAMESPACE/PACKAGE:VERSION}, the version as a tag ({@code +} and {@code !} become
   * {@code _}); {@code latest} while the version is not known yet.
   */
  static String defaultImage(String namespace, PackageSpec application) {
    String tag = application.pinned()
        ? application.version().replace('+', '_').replace('!', '_') : "latest";
    return namespace + "/" + application.normalizedName() + ":" + tag;
  }

  /** A builder holding raw values, as they come from a pom or a command line. */
  public static final class Builder {
    private String packageSpec;
    private String version;
    private String python;
    private String wheelhouse;
    private String from = "debian";
    private String image;
    private Path outputDirectory = Path.of("target", "bundler");
    private Path cacheDirectory = Path.of(System.getProperty("user.home"), ".cache", "bundler");
    private Path workingDirectory = Path.of("");
    private String appUser = "app";
    private int appUid = 1000;
    private int appGid = 33;
    private Instant creationTime = Instant.EPOCH;
    private String architecture = "amd64";
    private boolean allowInsecureRegistries;
    private DebianSettings debian = DebianSettings.defaults();
    private Path lockFile;
    private CompileSettings compile = CompileSettings.defaults();
    private Map<String, RegistryCredentials> registryCredentials = Map.of();
    private String templates;
    private String namespace = "bundler";
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
      PackageSpec application = PackageSpec.parse(packageSpec, version, workingDirectory);
      String python = this.python != null ? this.python : debian.suite() == null ? "3.11"
          : DebianSuites.pythonOf(debian.suite()).orElse("3.11");
      if (!PYTHON.matcher(python).matches()) {
        throw new InvalidInputException(
            Parameter.PYTHON,
            "'" + python + "' is not a Python version: set " + Parameter.PYTHON + " to "
                + "MAJOR.MINOR, for example 3.11");
      }
      BaseImage baseImage = BaseImage.parse(from, workingDirectory);
      DebianSettings debian = this.debian;
      if (debian.suite() == null) {
        java.util.Optional<String> suite = DebianSuites.suiteOf(python);
        if (suite.isEmpty() && baseImage instanceof BaseImage.Debian) {
          throw new InvalidInputException(Parameter.PYTHON, "No Debian suite bundler knows ships "
              + "Python " + python + ": set " + Parameter.PYTHON + " to one of "
              + DebianSuites.table() + ", or name the suite that has it with "
              + Parameter.DEBIAN_SUITE);
        }
        debian = debian.withSuite(suite.orElse(DebianSuites.DEFAULT));
      }
      Path wheels = null;
      if (wheelhouse != null && !wheelhouse.isBlank()) {
        wheels = workingDirectory.resolve(wheelhouse).toAbsolutePath().normalize();
        if (!Files.isDirectory(wheels)) {
          throw new InvalidInputException(
              Parameter.WHEELHOUSE,
              "The wheelhouse " + wheels + " is not a directory: set " + Parameter.WHEELHOUSE
                  + " to a directory of .whl files");
        }
      }
      Path cache = workingDirectory.resolve(cacheDirectory).toAbsolutePath().normalize();
      requireNoFile(cache, Parameter.CACHE_DIRECTORY, "bundler's cache directory");
      Path output = workingDirectory.resolve(outputDirectory).toAbsolutePath().normalize();
      requireNoFile(output, Parameter.OUTPUT_DIRECTORY, "The output directory");
      if (!USER.matcher(appUser).matches() || appUser.equals("root")) {
        throw new InvalidInputException(
            Parameter.APP_USER,
            "'" + appUser + "' is not a valid unprivileged user name: set " + Parameter.APP_USER
                + " to a lower-case name such as app");
      }
      if (appUid <= 0 || appGid < 0) {
        throw new IllegalArgumentException("The application user " + appUser + " needs a uid "
            + "above 0 (not root's) and a gid of 0 or more, not " + appUid + ":" + appGid
            + ": fix the call of BundleRequest.Builder.appUser (the ids are not parameters)");
      }
      String arch = architecture == null ? "" : architecture.trim().toLowerCase(Locale.ROOT);
      if (!arch.equals("amd64") && !arch.equals("arm64")) {
        throw new InvalidInputException(
            Parameter.ARCHITECTURE,
            "'" + architecture + "' is not a supported architecture: set "
                + Parameter.ARCHITECTURE + " to amd64 or arm64");
      }
      if (namespace == null || !NAMESPACE.matcher(namespace.strip()).matches()) {
        throw new InvalidInputException(Parameter.NAMESPACE, "'" + namespace + "' is not an image "
            + "namespace: set " + Parameter.NAMESPACE + " to lower-case path components such as "
            + "bluesolutions or HOST:PORT/team");
      }
      namespace = namespace.strip();
      if (cacheRepository != null) {
        dev.bundler.image.RegistryCache.validate(cacheRepository);
      }
      boolean imageGiven = image != null && !image.isBlank();
      String reference = imageGiven ? image.trim() : defaultImage(namespace, application);
      return new BundleRequest(
          application,
          python,
          wheels,
          baseImage,
          reference,
          output,
          cache,
          appUser,
          appUid,
          appGid,
          creationTime,
          arch,
          allowInsecureRegistries,
          debian,
          lockFile == null ? null : workingDirectory.resolve(lockFile).toAbsolutePath().normalize(),
          compileSettings(),
          tags(),
          templatesDirectory(),
          registryCredentials,
          ImageSettings.of(environment, overrideEnvironment, ports, volumes, labels,
              new RunnerLayout(appUser, appUid, appGid, application.name(),
                  application.version(), python)),
          cacheRepository,
          namespace,
          imageGiven);
    }

    /**
     * Refuses a directory parameter naming a file, or a path under a file: bundler makes the
     * directory if it is missing, and nothing else.
     */
    private static void requireNoFile(Path directory, Parameter parameter, String what)
        throws InvalidInputException {
      for (Path path = directory; path != null; path = path.getParent()) {
        if (Files.exists(path)) {
          if (!Files.isDirectory(path)) {
            throw new InvalidInputException(parameter, what + " " + directory
                + (path.equals(directory) ? " is a file" : " lies under the file " + path)
                + ", not a directory: set " + parameter + " to a directory (made if missing)");
          }
          return;
        }
      }
    }

    private List<String> tags() throws InvalidInputException {
      for (String tag : additionalTags) {
        if (!TAG.matcher(tag).matches()) {
          throw new InvalidInputException(Parameter.ADDITIONAL_TAGS, "'" + tag + "' is not an image "
              + "tag: tags are up to 128 letters, digits, '_', '.' and '-', not starting with "
              + "'.' or '-': fix " + Parameter.ADDITIONAL_TAGS);
        }
      }
      return additionalTags;
    }

    private Path templatesDirectory() throws InvalidInputException {
      if (templates == null || templates.isBlank()) {
        return null;
      }
      Path directory = workingDirectory.resolve(templates.strip()).toAbsolutePath().normalize();
      if (!Files.isDirectory(directory)) {
        throw new InvalidInputException(Parameter.TEMPLATES, "The templates directory "
            + directory + " does not exist: set " + Parameter.TEMPLATES + " to a directory holding "
            + "your own nginx.conf, uwsgi.ini, supervisord.conf, settings.ini or entrypoint.sh");
      }
      try {
        dev.bundler.runner.RunnerFiles.overrides(directory);
      } catch (java.io.IOException e) {
        throw new InvalidInputException(Parameter.TEMPLATES, "The templates directory "
            + directory + " cannot be read: " + e.getMessage(), e);
      }
      return directory;
    }

    /** The compile settings with local paths resolved and checked. */
    private CompileSettings compileSettings() throws InvalidInputException {
      List<String> links = new java.util.ArrayList<>();
      for (String link : compile.findLinks()) {
        if (link.startsWith("http://") || link.startsWith("https://")) {
          links.add(link);
          continue;
        }
        Path directory = workingDirectory.resolve(link).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
          throw new InvalidInputException(Parameter.FIND_LINKS, "The find-links directory "
              + directory + " does not exist: fix " + Parameter.FIND_LINKS + " (directories or "
              + "URLs, comma-separated)");
        }
        links.add(directory.toString());
      }
      return new CompileSettings(compile.index(), links, file(compile.pipConf(), Parameter.PIP_CONF),
          file(compile.constraints(), Parameter.CONSTRAINTS), compile.containerRuntime(),
          compile.containerArgs(), compile.buildPackages());
    }

    private Path file(Path value, Parameter parameter) throws InvalidInputException {
      if (value == null) {
        return null;
      }
      Path file = workingDirectory.resolve(value).toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(parameter, "The file " + file + " does not exist: fix "
            + parameter);
      }
      return file;
    }
  }
}
