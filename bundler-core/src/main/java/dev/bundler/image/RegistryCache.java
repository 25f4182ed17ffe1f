package dev.bundler.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A cache shared by many machines through an OCI repository, as BuildKit's registry cache is:
 * every result bundler makes from known inputs (a layer, a wheelhouse, bytecode) is recorded
 * there under its input key, as a small image manifest tagged {@code KIND-KEY} whose config is
 * bundler's record (the kind, the key, the blob's digest and, for a layer, its diff id) and
 * whose one layer is the blob.
 *
 * <p>What the repository holds is untrusted: a blob is checked against the record's digest (and a
 * layer against its diff id) as it is downloaded; a record the manifest contradicts is ignored.
 * When the environment gives {@code BUNDLER_CACHE_KEY} (a CI secret), records carry a seal made
 * with it and unsealed ones are ignored; without it, the repository is trusted as far as the push
 * rights to it are. Nothing secret is stored there. The cache only ever speeds a build up: an
 * unreachable repository or a refused login is a warning, after which it is not asked again.
 */
public final class RegistryCache implements AutoCloseable {
  /** The config media type of a record; registries store it like any image config. */
  static final String RECORD_FORMAT = "bundler-cache/1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A cached result.
   *
   * @param kind what it is ({@code layer}, {@code wheelhouse}, {@code bytecode})
   * @param key its input key (64 hex digits)
   * @param digest the blob's {@code sha256:...}
   * @param diffId for a layer, the uncompressed tar's {@code sha256:...}; else the digest
   * @param size the blob's size
   */
  public record Entry(String kind, String key, String digest, String diffId, long size) {}

  private record Record(String format, String kind, String key, String digest, String diffId,
      long size, String seal) {}

  private final ImageReference repository;
  private final RegistryClient client;
  private final FailoverHttpClient http;
  private final Credential credential;
  private final CacheSeal seal;
  private final EventHandler events;
  private volatile boolean usable = true;
  private volatile boolean authenticated;

  private RegistryCache(ImageReference repository, RegistryClient client, FailoverHttpClient http,
      Credential credential, CacheSeal seal, EventHandler events) {
    this.repository = repository;
    this.credential = credential;
    this.client = client;
    this.http = http;
    this.seal = seal;
    this.events = events;
  }

  /**
   * The cache in {@code repository} ({@code HOST[:PORT]/team/bundler-cache}), logged in as
   * pushes are ({@code logins} by registry host, else Docker's configuration).
   *
   * @throws InvalidInputException naming {@code bundler.cacheRepository} if it is not a
   *     repository reference
   */
  public static RegistryCache open(String repository, Map<String, RegistryCredentials> logins,
      boolean allowInsecureRegistries, EventHandler events) throws InvalidInputException {
    ImageReference reference = validate(repository);
    java.util.function.Consumer<LogEvent> log = event -> {
      if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) {
        events.debug("registry cache: " + event.getMessage());
      }
    };
    FailoverHttpClient http = new FailoverHttpClient(allowInsecureRegistries, false, log);
    Credential credential = new RegistryLogins(logins).credential(reference, log);
    RegistryClient client = RegistryClient.factory(EventHandlers.builder()
            .add(LogEvent.class, log::accept).build(),
            reference.getRegistry(), reference.getRepository(), http)
        .setCredential(credential)
        .setUserAgent("bundler")
        .newRegistryClient();
    String secret = System.getenv(CacheSeal.KEY_VARIABLE);
    CacheSeal seal = secret == null || secret.isBlank() ? null
        : CacheSeal.withKey(secret.strip().getBytes(StandardCharsets.UTF_8));
    return new RegistryCache(reference, client, http, credential, seal, events);
  }

  /**
   * Checks that {@code repository} names a repository ({@code HOST[:PORT]/team/cache}, no tag).
   *
   * @throws InvalidInputException naming {@code bundler.cacheRepository} if it does not
   */
  public static ImageReference validate(String repository) throws InvalidInputException {
    ImageReference reference;
    try {
      reference = ImageReference.parse(repository);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(Parameter.CACHE_REPOSITORY, "'" + repository + "' is not a "
          + "repository reference: set " + Parameter.CACHE_REPOSITORY + " to "
          + "HOST[:PORT]/team/bundler-cache", e);
    }
    if (reference.getDigest().isPresent() || repository.substring(repository.lastIndexOf('/') + 1)
        .contains(":")) {
      throw new InvalidInputException(Parameter.CACHE_REPOSITORY,
          Parameter.CACHE_REPOSITORY.withValue(repository) + " names a tag or digest: give the "
          + "repository alone (" + reference.getRegistry() + "/" + reference.getRepository()
          + "); bundler tags it itself");
    }
    return reference;
  }

  /** The repository, {@code HOST[:PORT]/team/bundler-cache}. */
  public String repository() {
    return repository.getRegistry() + "/" + repository.getRepository();
  }

  /** The repository part alone ({@code team/bundler-cache}), for cross-repository mounts. */
  String repositoryPath() {
    return repository.getRepository();
  }

  /** The registry host, {@code HOST[:PORT]}. */
  String registry() {
    return repository.getRegistry();
  }

  /** Whether the cache still answers (it is given up at its first failure in a build). */
  public boolean usable() {
    return usable;
  }

  /** The entry of {@code kind} recorded under {@code key}, if the repository has a valid one. */
  public Optional<Entry> lookup(String kind, String key) {
    if (!usable) {
      return Optional.empty();
    }
    try {
      login();
      Optional<ManifestAndDigest<ManifestTemplate>> found = client.checkManifest(tag(kind, key));
      if (found.isEmpty() || !(found.get().getManifest() instanceof OciManifestTemplate manifest)
          || manifest.getLayers().size() != 1 || manifest.getContainerConfiguration() == null) {
        return Optional.empty();
      }
      byte[] bytes = download(manifest.getContainerConfiguration().getDigest(), 64 << 10);
      Record record = JSON.readValue(bytes, Record.class);
      var layer = manifest.getLayers().get(0);
      if (!RECORD_FORMAT.equals(record.format()) || !kind.equals(record.kind())
          || !key.equals(record.key()) || !layer.getDigest().toString().equals(record.digest())
          || layer.getSize() != record.size() || !sealed(record)) {
        events.warn("The registry cache " + repository() + " holds an entry " + key + " that "
            + "does not match its record" + (seal != null ? " or its seal" : "") + ": ignored");
        return Optional.empty();
      }
      return Optional.of(new Entry(kind, key, record.digest(), record.diffId(), record.size()));
    } catch (IOException | RegistryException | RuntimeException e) {
      giveUp(e);
      return Optional.empty();
    }
  }

  /**
   * Downloads {@code entry}'s blob to {@code file} (atomically), checking its digest and, for a
   * layer, its diff id, on the way. Returns {@code false} (leaving nothing) if the blob is not
   * what the record says, or the repository fails.
   */
  public boolean fetch(Entry entry, Path file) {
    if (!usable) {
      return false;
    }
    Path partial = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      partial = Files.createTempFile(file.toAbsolutePath().getParent(), AtomicFiles.PARTIAL_PREFIX, ".blob");
      MessageDigest compressed = Digests.sha256();
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), compressed)) {
        client.pullBlob(JibBlobs.descriptor(entry.digest()), size -> {}, written -> {}).writeTo(out);
      }
      String actual = "sha256:" + Digests.hex(compressed.digest());
      if (!actual.equals(entry.digest()) || Files.size(partial) != entry.size()
          || entry.kind().equals("layer") && !entry.diffId().equals(diffId(partial))) {
        events.warn("The registry cache " + repository() + " served a blob for " + entry.key()
            + " that is not the one recorded: ignored, it is made here and recorded again");
        return false;
      }
      AtomicFiles.move(partial, file);
      return true;
    } catch (IOException | RuntimeException e) {
      giveUp(e);
      return false;
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // a temporary file
        }
      }
    }
  }

  /**
   * Records {@code blob} (with {@code digest}, {@code diffId} and {@code size}) under {@code
   * key}: uploads it unless the repository has it, then its record and the manifest tagged with
   * the key. Two machines recording the same key at once leave one consistent entry: the blob
   * and record are content-addressed, and the tag names whichever manifest came last.
   */
  public void publish(String kind, String key, Path blob, String digest, String diffId, long size) {
    if (!usable) {
      return;
    }
    try {
      publishOnce(kind, key, blob, digest, diffId, size);
    } catch (IOException | RegistryException | RuntimeException first) {
      // Once more before giving the cache up: machines recording the same blob at once can see
      // one upload refused while the other lands, and the second try finds the blob there.
      events.debug("Recording " + kind + " " + key + " in the registry cache " + repository()
          + " failed (" + dev.bundler.io.Redact.urls(String.valueOf(first.getMessage()))
          + "): trying once more");
      try {
        publishOnce(kind, key, blob, digest, diffId, size);
      } catch (IOException | RegistryException | RuntimeException e) {
        giveUp(e);
      }
    }
  }

  private void publishOnce(String kind, String key, Path blob, String digest, String diffId,
      long size) throws IOException, RegistryException {
    login();
    Record record = new Record(RECORD_FORMAT, kind, key, digest, diffId, size, null);
    if (seal != null) {
      record = new Record(RECORD_FORMAT, kind, key, digest, diffId, size, sealOf(record));
    }
    byte[] config = JSON.writeValueAsBytes(record);
    String configDigest = "sha256:" + Digests.sha256Hex(config);
    if (client.checkBlob(JibBlobs.descriptor(digest)).isEmpty()) {
      client.pushBlob(JibBlobs.descriptor(digest), JibBlobs.layer(new dev.bundler.layer.Layer(blob, digest, diffId, size)), null, n -> {});
    }
    if (client.checkBlob(JibBlobs.descriptor(configDigest)).isEmpty()) {
      client.pushBlob(JibBlobs.descriptor(configDigest), JibBlobs.bytes(config), null, n -> {});
    }
    OciManifestTemplate manifest = new OciManifestTemplate();
    manifest.setContainerConfiguration(config.length, JibBlobs.descriptor(configDigest));
    manifest.addLayer(size, JibBlobs.descriptor(digest));
    client.pushManifest(manifest, tag(kind, key));
    events.debug("Recorded " + kind + " " + key + " in the registry cache " + repository());
  }

  /** A blob of the cache, streamed from the repository when written (a mount's fallback). */
  Blob remoteBlob(String digest, long size) {
    return new Blob() {
      @Override
      public BlobDescriptor writeTo(OutputStream out) throws IOException {
        MessageDigest actual = Digests.sha256();
        client.pullBlob(JibBlobs.descriptor(digest), n -> {}, n -> {})
            .writeTo(new DigestOutputStream(out, actual));
        if (!("sha256:" + Digests.hex(actual.digest())).equals(digest)) {
          throw new IOException("the registry cache " + repository() + " served another blob for "
              + digest);
        }
        return new BlobDescriptor(size, JibBlobs.descriptor(digest));
      }

      @Override
      public boolean isRetryable() {
        return true;
      }
    };
  }

  /** The tag of an entry: its kind and key ({@code layer-0a1b...}). */
  static String tag(String kind, String key) {
    return kind + "-" + key;
  }

  private synchronized void login() throws IOException, RegistryException {
    if (!authenticated) {
      if (!client.doPushBearerAuth() && credential != null) {
        client.configureBasicAuth();
      }
      authenticated = true;
    }
  }

  private byte[] download(DescriptorDigest digest, int limit) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    client.pullBlob(digest, n -> {}, n -> {}).writeTo(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (out.size() + length > limit) {
          throw new IOException("a cache record larger than " + limit + " bytes");
        }
        out.write(bytes, offset, length);
      }
    });
    byte[] bytes = out.toByteArray();
    if (!("sha256:" + Digests.sha256Hex(bytes)).equals(digest.toString())) {
      throw new IOException("the registry served another blob for " + digest);
    }
    return bytes;
  }

  private boolean sealed(Record record) throws IOException {
    if (seal == null) {
      return true;
    }
    return record.seal() != null && record.seal().equals(sealOf(record));
  }

  private String sealOf(Record record) throws IOException {
    Record unsealed = new Record(record.format(), record.kind(), record.key(), record.digest(),
        record.diffId(), record.size(), null);
    byte[] sealed = seal.seal(JSON.writeValueAsBytes(unsealed));
    String text = new String(sealed, StandardCharsets.US_ASCII);
    return text.substring(text.lastIndexOf(' ') + 1).strip();
  }

  private static String diffId(Path gzip) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gzip), 1 << 16)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (java.util.zip.ZipException e) {
      return "not gzip";
    }
    return "sha256:" + Digests.hex(digest.digest());
  }

  private void giveUp(Exception e) {
    if (usable) {
      usable = false;
      events.warn("The registry cache " + repository() + " ("
          + Parameter.CACHE_REPOSITORY.named() + ") does not answer ("
          + dev.bundler.io.Redact.urls(String.valueOf(e.getMessage())) + "): this build goes on "
          + "without it");
    }
  }

  @Override
  public void close() {
    try {
      http.shutDown();
    } catch (IOException ignored) {
      // closing connections
    }
  }
}
