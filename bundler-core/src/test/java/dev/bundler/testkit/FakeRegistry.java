package dev.bundler.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A registry that serves what a test makes it serve, right or wrong: manifests by tag and blobs
 * by the digest they are served under (which need not be theirs), over plain HTTP on 127.0.0.1.
 * Uploads are refused (500). For the hostile cases of a registry serving garbage.
 */
public final class FakeRegistry implements AutoCloseable {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final PlainHttpServer server;

  private FakeRegistry(Function<String, byte[]> manifests) throws java.io.IOException {
    server = PlainHttpServer.start(request -> answer(request, manifests));
  }

  /** A registry serving {@code manifests.apply(tag)} (none for {@code null}) in every repository. */
  public static FakeRegistry start(Function<String, byte[]> manifests) throws java.io.IOException {
    return new FakeRegistry(manifests);
  }

  /** Serves {@code content} as the blob {@code digest} ({@code sha256:...}), matching or not. */
  public FakeRegistry blob(String digest, byte[] content) {
    blobs.put(digest, content);
    return this;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return server.host();
  }

  public List<PlainHttpServer.Request> requests() {
    return server.requests();
  }

  /** {@code sha256:HEX} of {@code content}. */
  public static String digest(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OCI manifest of a config blob and layer blobs: {digest, size} pairs, config first. */
  public static byte[] manifest(String configDigest, long configSize, List<Map.Entry<String, Long>> layers) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + configDigest + "\",\"size\":" + configSize + "},\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",")
          .append("\"digest\":\"").append(layers.get(i).getKey()).append("\",\"size\":")
          .append(layers.get(i).getValue()).append('}');
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private PlainHttpServer.Response answer(PlainHttpServer.Request request,
      Function<String, byte[]> manifests) {
    String path = request.target().replaceFirst("\\?.*$", "");
    boolean read = request.method().equals("GET") || request.method().equals("HEAD");
    if (read && path.equals("/v2/")) {
      return new PlainHttpServer.Response(200, Map.of(), "{}");
    }
    int manifest = path.indexOf("/manifests/");
    if (read && path.startsWith("/v2/") && manifest > 0) {
      byte[] body = manifests.apply(path.substring(manifest + "/manifests/".length()));
      return body == null ? new PlainHttpServer.Response(404, Map.of(), "{\"errors\":[]}")
          : new PlainHttpServer.Response(200, Map.of("Content-Type", OCI_MANIFEST,
              "Docker-Content-Digest", digest(body)), body);
    }
    int blob = path.indexOf("/blobs/sha256:");
    if (read && path.startsWith("/v2/") && blob > 0) {
      byte[] body = blobs.get(path.substring(blob + "/blobs/".length()));
      return body == null ? new PlainHttpServer.Response(404, Map.of(), "{\"errors\":[]}")
          : new PlainHttpServer.Response(200, Map.of("Content-Type", "application/octet-stream"), body);
    }
    return new PlainHttpServer.Response(500, Map.of(), "{\"errors\":[{\"code\":\"UNSUPPORTED\"}]}");
  }

  @Override
  public void close() throws java.io.IOException {
    server.close();
  }
}
