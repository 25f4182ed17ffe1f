package dev.bundler.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.Futures;
import dev.bundler.layer.CorruptBlobException;
import dev.bundler.layer.Layer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Pushes an {@link ImagePlan} with jib-core's registry client: it logs in (bearer token or basic
 * auth), asks which blobs the registry has, uploads the others straight from bundler's layer
 * cache (checked against their digest as they stream), then the config and the manifest under
 * each tag.
 *
 * <p>Why not jib-core's {@code Containerizer}: it takes layers as files to pack (which loses
 * symbolic links, jib issue 2275) or from a base image, which it unpacks and copies into a cache
 * of its own first; its registry client works from the blobs bundler already has, with no copy.
 */
final class RegistryPush {
  private static final int PARALLEL_UPLOADS = 4;

  private final RegistryLogins logins;
  private final boolean allowInsecureRegistries;
  private final EventHandler events;
  private final Consumer<LogEvent> jibLog;

  RegistryPush(RegistryLogins logins, boolean allowInsecureRegistries, EventHandler events,
      Consumer<LogEvent> jibLog) {
    this.logins = logins;
    this.allowInsecureRegistries = allowInsecureRegistries;
    this.events = events;
    this.jibLog = jibLog;
  }

  /**
   * Pushes {@code plan} as {@code reference} and {@code additionalTags}; returns the digest the
   * registry gave the manifest.
   */
  String push(ImagePlan plan, ImageReference reference, List<String> additionalTags,
      RegistryCache shared) throws BundlerException, IOException {
    FailoverHttpClient http = new FailoverHttpClient(allowInsecureRegistries, false, jibLog);
    Credential credential = logins.credential(reference, jibLog);
    RegistryClient client = RegistryClient.factory(
            EventHandlers.builder().add(LogEvent.class, jibLog::accept).build(),
            reference.getRegistry(), reference.getRepository(), http)
        .setCredential(credential)
        .setUserAgent("bundler")
        .newRegistryClient();
    try {
      if (!client.doPushBearerAuth() && credential != null) {
        client.configureBasicAuth();
      }
      uploadLayers(client, plan, reference, shared);
      upload(client, plan.imageId(), JibBlobs.bytes(plan.config()), "the image config", null);
      DescriptorDigest pushed = client.pushManifest(plan.manifestTemplate(), reference.getQualifier());
      for (String tag : additionalTags) {
        client.pushManifest(plan.manifestTemplate(), tag);
      }
      return pushed.toString();
    } catch (RegistryException e) {
      throw failure(reference, e);
    } finally {
      http.shutDown();
    }
  }

  private void uploadLayers(RegistryClient client, ImagePlan plan, ImageReference reference,
      RegistryCache shared) throws BundlerException, IOException, RegistryException {
    Map<String, Layer> blobs = new LinkedHashMap<>();
    plan.layers().forEach(layer -> blobs.putIfAbsent(layer.layer().digest(), layer.layer()));
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_UPLOADS, blobs.size() + 1),
        task -> {
          Thread thread = new Thread(task, "bundler-push");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<Void>> uploads = new ArrayList<>();
      for (Layer layer : blobs.values()) {
        boolean local = java.nio.file.Files.isRegularFile(layer.blob());
        String mountFrom = !local && shared.registry().equals(reference.getRegistry())
            ? shared.repositoryPath() : null;
        uploads.add(pool.submit(() -> {
          upload(client, layer.digest(), local ? JibBlobs.layer(layer)
              : shared.remoteBlob(layer.digest(), layer.size()), "layer " + layer.digest(), mountFrom);
          return null;
        }));
      }
      for (Future<Void> upload : uploads) {
        await(upload);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void upload(RegistryClient client, String digest, Blob blob, String what,
      String mountFrom) throws IOException, RegistryException {
    DescriptorDigest descriptor = JibBlobs.descriptor(digest);
    if (client.checkBlob(descriptor).isPresent()) {
      events.debug("The registry has " + what + " already");
      return;
    }
    events.debug((mountFrom != null ? "Mounting from " + mountFrom + " " : "Uploading ") + what);
    client.pushBlob(descriptor, blob, mountFrom, bytes -> {});
  }

  private static void await(Future<Void> upload)
      throws BundlerException, IOException, RegistryException {
    try {
      Futures.get(upload);
    } catch (IOException e) {
      if (e.getCause() instanceof RegistryException registry) {
        throw registry;
      }
      throw e;
    }
  }

  private BundlerException failure(ImageReference reference, RegistryException e) {
    if (e instanceof RegistryUnauthorizedException) {
      return logins.refused(reference.toString(), "access to", Parameter.IMAGE, e);
    }
    return new EnvironmentException("The registry " + reference.getRegistry() + " refused the "
        + "push of " + reference + ": " + e.getMessage(), e);
  }
}
