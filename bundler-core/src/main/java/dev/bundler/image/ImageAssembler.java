package dev.bundler.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.io.AtomicFiles;
import dev.bundler.events.EventHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Turns an {@link ImageSpec} into an image with jib-core.
 *
 * <p>The base and bundler's layers are first written as one {@code docker save} style tarball
 * ({@link DockerArchiveWriter}); jib-core starts from it, copying every layer blob byte for byte,
 * and adds the container config. Nothing is written to the destination until the image is
 * complete.
 */
public final class ImageAssembler {
  private final Path cacheDirectory;
  private final EventHandler events;
  private final boolean allowInsecureRegistries;
  private final boolean offline;
  private final RegistryLogins logins;

  private ImageAssembler(Path cacheDirectory, EventHandler events, boolean allowInsecureRegistries,
      boolean offline, RegistryLogins logins) {
    this.cacheDirectory = cacheDirectory;
    this.events = events;
    this.allowInsecureRegistries = allowInsecureRegistries;
    this.offline = offline;
    this.logins = logins;
  }

  /** An assembler keeping jib-core's caches and its scratch files under {@code cacheDirectory}. */
  public static ImageAssembler create(Path cacheDirectory, EventHandler events) {
    return new ImageAssembler(cacheDirectory.toAbsolutePath(), events, false, false,
        new RegistryLogins(Map.of()));
  }

  /** An assembler that may talk plain HTTP (or unverified HTTPS) to registries. */
  public ImageAssembler allowInsecureRegistries(boolean allow) {
    return new ImageAssembler(cacheDirectory, events, allow, offline, logins);
  }

  /**
   * An assembler that logs in to registries with {@code value} (by registry host, as in {@code
   * HOST:PORT}); registries not named there get the credentials of the Docker
   * configuration ({@code ~/.docker/config.json} and its credential helpers), if any.
   */
  public ImageAssembler credentials(Map<String, RegistryCredentials> value) {
    return new ImageAssembler(cacheDirectory, events, allowInsecureRegistries, offline,
        new RegistryLogins(value));
  }

  /**
   * An assembler that makes no network request: a registry base must then have been pulled
   * before, into the same cache.
   */
  public ImageAssembler offline(boolean value) {
    return new ImageAssembler(cacheDirectory, events, allowInsecureRegistries, value, logins);
  }

  /**
   * Writes the image as an OCI archive at {@code tarball}, replacing it only once complete.
   *
   * @throws InvalidInputException if the reference or the base is invalid
   * @throws EnvironmentException if jib-core fails to read, pull or write
   */
  public ImageResult writeTarball(ImageSpec spec, Path tarball)
      throws BundlerException, IOException {
    return writeTarball(spec, tarball, ImageFormat.OCI);
  }

  /**
   * Writes the image as a {@code docker save} tarball, for the docker CLI, whose {@code load}
   * does not read OCI archives on every version.
   */
  public ImageResult writeDockerTarball(ImageSpec spec, Path tarball)
      throws BundlerException, IOException {
    return writeTarball(spec, tarball, ImageFormat.Docker);
  }

  /**
   * Pushes the image to the registry its reference names, logged in as {@link #credentials}
   * says. It is the image {@link #writeTarball} writes, byte for byte: the same digest. Blobs the
   * registry already has are not uploaded again.
   *
   * @throws InvalidInputException if the reference is invalid or the registry refuses the login
   * @throws EnvironmentException if the registry cannot be reached or fails
   */
  public ImageResult push(ImageSpec spec) throws BundlerException, IOException {
    return push(spec, List.of());
  }

  /** Pushes as {@link #push(ImageSpec)} does, also tagged with {@code additionalTags}. */
  public ImageResult push(ImageSpec spec, List<String> additionalTags)
      throws BundlerException, IOException {
    ImageReference reference = reference(spec.reference());
    if (offline) {
      throw new InvalidInputException("bundler.image", "Pushing " + reference + " needs the "
          + "network, and the build is offline: run without -o");
    }
    events.info("Pushing " + reference);
    Files.createDirectories(cacheDirectory.resolve("tmp"));
    Path work = Files.createTempDirectory(cacheDirectory.resolve("tmp"), "push-");
    try {
      Containerizer containerizer = Containerizer.to(logins.image(reference, this::onJibLog))
          .setAllowInsecureRegistries(allowInsecureRegistries);
      additionalTags.forEach(containerizer::withAdditionalTag);
      JibContainer container = containerize(spec, work, containerizer, ImageFormat.OCI);
      return new ImageResult(reference.toString(), container.getDigest().toString(),
          container.getImageId().toString(), List.copyOf(container.getTags()), null);
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
  }

  private ImageResult writeTarball(ImageSpec spec, Path tarball, ImageFormat format)
      throws BundlerException, IOException {
    ImageReference reference = reference(spec.reference());
    Files.createDirectories(cacheDirectory.resolve("tmp"));
    Path work = Files.createTempDirectory(cacheDirectory.resolve("tmp"), "image-");
    try {
      Path partial = Files.createTempFile(tarball.toAbsolutePath().getParent(), ".image-", ".tar");
      try {
        JibContainer container =
            containerize(spec, work, Containerizer.to(TarImage.at(partial).named(reference)), format);
        AtomicFiles.move(partial, tarball);
        return new ImageResult(
            reference.toString(),
            container.getDigest().toString(),
            container.getImageId().toString(),
            List.copyOf(container.getTags()),
            tarball.toAbsolutePath());
      } finally {
        Files.deleteIfExists(partial);
      }
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
  }

  private JibContainer containerize(ImageSpec spec, Path work, Containerizer containerizer,
      ImageFormat format) throws BundlerException, IOException {
    ImageArchive base = base(spec, work);
    Path combined = work.resolve("base.tar");
    DockerArchiveWriter.write(
        combined, base, spec.layers(), spec.architecture(), spec.config().creationTime(), work);
    JibContainerBuilder builder =
        configure(Jib.from(TarImage.at(combined)), spec.config()).setFormat(format);
    containerizer
        .setToolName("bundler")
        .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base"))
        .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("application"))
        .addEventHandler(LogEvent.class, this::onJibLog);
    try {
      return builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while writing the image", e);
    } catch (ExecutionException | RegistryException | IOException e) {
      if (causedBy(e, RegistryUnauthorizedException.class)) {
        throw logins.refused(spec.reference(), "access to", "bundler.image", e);
      }
      if (causedBy(e, java.net.ConnectException.class)
          || causedBy(e, java.net.UnknownHostException.class)
          || causedBy(e, javax.net.ssl.SSLException.class)) {
        throw new EnvironmentException("Cannot reach the registry of " + spec.reference()
            + " (-Dbundler.image): " + e.getMessage() + ". Check the registry's address and that "
            + "it runs (for plain HTTP or a self-signed certificate set "
            + "-Dbundler.allowInsecureRegistries=true)", e);
      }
      throw new EnvironmentException("jib-core failed to write the image: " + e.getMessage(), e);
    } catch (com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      throw new EnvironmentException(
          "jib-core cannot create its cache under " + cacheDirectory + ": " + e.getMessage(), e);
    }
  }

  private ImageArchive base(ImageSpec spec, Path work) throws BundlerException, IOException {
    BaseImage base = spec.base();
    if (base instanceof BaseImage.Tarball tarball) {
      return ImageArchive.read(tarball.path(), work.resolve("base"), spec.architecture());
    }
    if (base instanceof BaseImage.Registry registry) {
      Path pulled = work.resolve("pulled.tar");
      pull(registry.reference(), pulled);
      return ImageArchive.read(pulled, work.resolve("base"), spec.architecture());
    }
    return ImageArchive.empty(); // scratch, or a Debian base whose layers bundler wrote
  }

  private void pull(String reference, Path tarball) throws BundlerException {
    events.info((offline ? "Reading the cached base image " : "Pulling base image ") + reference);
    try {
      Jib.from(logins.image(ImageReference.parse(reference), this::onJibLog))
          .containerize(
              Containerizer.to(TarImage.at(tarball).named(reference))
                  .setToolName("bundler")
                  .setAllowInsecureRegistries(allowInsecureRegistries)
                  .setOfflineMode(offline)
                  .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base"))
                  .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("application"))
                  .addEventHandler(LogEvent.class, this::onJibLog));
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(
          "bundler.from", "'" + reference + "' is not a valid image reference", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while pulling " + reference, e);
    } catch (Exception e) {
      if (causedBy(e, RegistryUnauthorizedException.class)) {
        throw logins.refused(reference, "access to", "bundler.from", e);
      }
      if (offline) {
        throw new EnvironmentException("The base image " + reference + " (-Dbundler.from) is not "
            + "in bundler's cache and the build is offline: run once without -o to pull it ("
            + e.getMessage() + ")", e);
      }
      throw new EnvironmentException(
          "Cannot pull the base image " + reference + " (-Dbundler.from): " + e.getMessage()
              + ". Check that the registry is reachable and the image exists (for a plain-HTTP "
              + "registry set -Dbundler.allowInsecureRegistries=true), or use an image tarball",
          e);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static JibContainerBuilder configure(JibContainerBuilder builder, ContainerConfig config) {
    builder
        .setFormat(ImageFormat.OCI)
        .setCreationTime(config.creationTime())
        .setEntrypoint(config.entrypoint())
        .setProgramArguments(config.cmd())
        .setEnvironment(config.environment())
        .setUser(config.user())
        .setWorkingDirectory(AbsoluteUnixPath.get(config.workingDirectory()))
        .setLabels(config.labels());
    for (int port : config.exposedPorts()) {
      builder.addExposedPort(Port.tcp(port));
    }
    for (String volume : config.volumes()) {
      builder.addVolume(AbsoluteUnixPath.get(volume));
    }
    return builder;
  }

  private static ImageReference reference(String value) throws InvalidInputException {
    try {
      return ImageReference.parse(value);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(
          "bundler.image",
          "'" + value + "' is not a valid image reference: set -Dbundler.image (<image> in the "
              + "pom) to a name such as bundler/milborne:0.4.0",
          e);
    }
  }

  private void onJibLog(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN -> events.warn(event.getMessage());
      case LIFECYCLE, INFO -> events.debug(event.getMessage());
      default -> {}
    }
  }
}
