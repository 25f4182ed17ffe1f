package dev.bundler.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@link ImageSpec} into an image with jib-core.
 *
 * <p>An image is first planned ({@link #plan}): its layers, config and manifest computed as
 * bytes, so its digest is known before anything is written. bundler writes the OCI archive itself,
 * streaming each layer blob from its cache once; pushes go through jib-core's registry client
 * ({@link RegistryPush}) from the same blobs. Base images in a registry are pulled by jib-core.
 * Nothing is written to the destination until the image is complete.
 */
public final class ImageAssembler {
  private static final Pattern TLS_FALLBACK =
      Pattern.compile("^(?:Cannot verify server at|Failed to connect to) \\w+://([^/]+)");
  private final Path cacheDirectory;
  private final EventHandler events;
  private final boolean allowInsecureRegistries;
  private final boolean offline;
  private final RegistryLogins logins;
  private final Set<String> fallbackWarned = ConcurrentHashMap.newKeySet();

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
   * The image {@code spec} describes, computed without writing anything: its layers (a tarball
   * or registry base's read first), config and manifest, hence its digest. Close it when done.
   *
   * @throws InvalidInputException if the reference or the base is not valid
   * @throws EnvironmentException if a registry base cannot be pulled
   */
  public ImagePlan plan(ImageSpec spec) throws BundlerException, IOException {
    reference(spec.reference());
    Path scratch = null;
    ImageArchive base = ImageArchive.empty();
    List<ImageLayer> layers = new ArrayList<>();
    if (spec.base() instanceof BaseImage.Tarball || spec.base() instanceof BaseImage.Registry) {
      Files.createDirectories(cacheDirectory.resolve("tmp"));
      scratch = Files.createTempDirectory(cacheDirectory.resolve("tmp"), "base-");
      try {
        base = base(spec, scratch);
        for (ArchiveLayer layer : base.layers()) {
          layers.add(new ImageLayer("base image layer", layer.toLayer(scratch)));
        }
      } catch (BundlerException | IOException | RuntimeException e) {
        AtomicFiles.deleteRecursively(scratch);
        throw e;
      }
    }
    int baseLayers = layers.size();
    layers.addAll(spec.layers());
    byte[] config = ImageConfigs.write(base.config(), layers, baseLayers, spec.config(),
        spec.architecture());
    OciManifestTemplate manifest = new OciManifestTemplate();
    manifest.setContainerConfiguration(config.length, digest(Digests.sha256Hex(config)));
    for (ImageLayer layer : layers) {
      manifest.addLayer(layer.layer().size(), digest(layer.layer().digestHex()));
    }
    return new ImagePlan(layers, config, manifest, JsonTemplateMapper.toByteArray(manifest), scratch);
  }

  /**
   * Writes the image as an OCI archive at {@code tarball}, replacing it only once complete.
   *
   * @throws InvalidInputException if the reference or the base is invalid
   * @throws EnvironmentException if a registry base cannot be pulled
   */
  public ImageResult writeTarball(ImageSpec spec, Path tarball)
      throws BundlerException, IOException {
    try (ImagePlan plan = plan(spec)) {
      return writeTarball(plan, spec.reference(), tarball);
    }
  }

  /**
   * Writes {@code plan}, named {@code reference}, as an OCI archive at {@code tarball}, each
   * layer blob streamed from the cache once and checked against its digest on the way.
   *
   * @throws dev.bundler.layer.CorruptBlobException if a cached blob is damaged (nothing is left
   *     at {@code tarball}; evict the layer and write it again)
   */
  public ImageResult writeTarball(ImagePlan plan, String reference, Path tarball)
      throws BundlerException, IOException {
    ImageReference parsed = reference(reference);
    OciArchive.write(plan, parsed.toString(), tarball);
    return result(plan, parsed, List.of(), tarball.toAbsolutePath());
  }

  /** What {@link #writeTarball(ImagePlan, String, Path)} returns for {@code plan}. */
  public ImageResult result(ImagePlan plan, String reference, Path tarball)
      throws InvalidInputException {
    return result(plan, reference(reference), List.of(), tarball);
  }

  /**
   * Whether {@code tarball} already is the archive {@link #writeTarball(ImagePlan, String, Path)}
   * would write, told from its size and first entries without reading its layers.
   */
  public boolean holds(Path tarball, ImagePlan plan, String reference) throws BundlerException {
    String name = reference(reference).toString();
    return OciArchive.holds(tarball, plan, name);
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
    try (ImagePlan plan = plan(spec)) {
      return push(plan, spec.reference(), additionalTags);
    }
  }

  /**
   * Pushes {@code plan} as {@code reference} (and {@code additionalTags}) with jib-core's
   * registry client, uploading only the blobs the registry lacks, straight from the cache.
   *
   * @throws dev.bundler.layer.CorruptBlobException if a cached blob is damaged (the registry
   *     refuses the upload; evict the layer and push again)
   */
  public ImageResult push(ImagePlan plan, String reference, List<String> additionalTags)
      throws BundlerException, IOException {
    return push(plan, reference, additionalTags, null);
  }

  /**
   * Pushes as {@link #push(ImagePlan, String, List)} does; layers whose blob is only in the
   * registry cache {@code shared} are mounted from its repository (on the same registry) or
   * streamed from it, never downloaded into this machine's cache.
   */
  public ImageResult push(ImagePlan plan, String reference, List<String> additionalTags,
      RegistryCache shared) throws BundlerException, IOException {
    ImageReference parsed = reference(reference);
    if (offline) {
      throw new InvalidInputException(Parameter.IMAGE, "Pushing " + parsed + " needs the "
          + "network, and the build is offline: run without " + Parameter.OFFLINE.named());
    }
    events.info("Pushing " + parsed);
    String pushed;
    try {
      pushed = new RegistryPush(logins, allowInsecureRegistries, events, this::onJibLog)
          .push(plan, parsed, additionalTags, shared);
    } catch (dev.bundler.layer.CorruptBlobException e) {
      throw e;
    } catch (IOException e) {
      throw new EnvironmentException("Cannot reach the registry of " + parsed
          + " (" + Parameter.IMAGE.named() + "): " + e.getMessage() + ". Check the registry's "
          + "address and that it runs (for plain HTTP or a self-signed certificate set "
          + Parameter.ALLOW_INSECURE_REGISTRIES.withValue("true") + ")", e);
    }
    if (!pushed.equals(plan.digest())) {
      throw new EnvironmentException("The registry " + parsed.getRegistry() + " gave the "
          + "pushed manifest the digest " + pushed + ", not " + plan.digest() + ": it altered "
          + "the manifest");
    }
    return result(plan, parsed, additionalTags, null);
  }

  private static ImageResult result(ImagePlan plan, ImageReference reference,
      List<String> additionalTags, Path tarball) {
    List<String> tags = new ArrayList<>();
    tags.add(reference.getTag().orElse("latest"));
    additionalTags.stream().filter(t -> !tags.contains(t)).forEach(tags::add);
    return new ImageResult(reference.toString(), plan.digest(), plan.imageId(), tags, tarball);
  }

  private static DescriptorDigest digest(String hex) {
    try {
      return DescriptorDigest.fromHash(hex);
    } catch (java.security.DigestException e) {
      throw new IllegalArgumentException("not a sha256 digest: " + hex, e);
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
          Parameter.FROM, "'" + reference + "' is not a valid image reference", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while pulling " + reference, e);
    } catch (Exception e) {
      if (causedBy(e, RegistryUnauthorizedException.class)) {
        throw logins.refused(reference, "access to", Parameter.FROM, e);
      }
      if (causedBy(e, "UnexpectedBlobDigestException")) { // jib-core's class is not public
        throw new EnvironmentException("The registry of the base image " + reference
            + " (" + Parameter.FROM.named() + ") served a blob that is not the one its manifest "
            + "names: it is damaged or was tampered with there (" + e.getMessage() + "). Push the "
            + "base image again, or use another", e);
      }
      if (offline) {
        throw new EnvironmentException("The base image " + reference + " ("
            + Parameter.FROM.named() + ") is not in bundler's cache and the build is offline: "
            + "run once without " + Parameter.OFFLINE.named() + " to pull it ("
            + e.getMessage() + ")", e);
      }
      throw new EnvironmentException(
          "Cannot pull the base image " + reference + " (" + Parameter.FROM.named() + "): "
              + e.getMessage() + ". Check that the registry is reachable and the image exists "
              + "(for a plain-HTTP registry set " + Parameter.ALLOW_INSECURE_REGISTRIES.withValue(
                  "true") + "), or use an image tarball",
          e);
    }
  }

  private static boolean causedBy(Throwable e, String simpleName) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static ImageReference reference(String value) throws InvalidInputException {
    try {
      return ImageReference.parse(value);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(
          Parameter.IMAGE,
          "'" + value + "' is not a valid image reference: set " + Parameter.IMAGE + " to a "
              + "name such as bundler/milborne:0.4.0",
          e);
    }
  }

  /**
   * jib-core's messages, at bundler's levels. jib warns of a registry it cannot verify (or reach
   * over HTTPS) on every request it retries; the user who allowed insecure registries is told once
   * per registry, the rest go to the debug log.
   */
  private void onJibLog(LogEvent event) {
    String message = event.getMessage();
    Matcher fallback = TLS_FALLBACK.matcher(message);
    if (event.getLevel() == LogEvent.Level.WARN && fallback.find()
        && !fallbackWarned.add(fallback.group(1))) {
      events.debug(message);
      return;
    }
    switch (event.getLevel()) {
      case ERROR, WARN -> events.warn(message);
      case LIFECYCLE, INFO -> events.debug(event.getMessage());
      default -> {}
    }
  }
}
