package dev.bundler.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry (Debian's {@code docker-registry}, the CNCF distribution registry) serving
 * plain HTTP on 127.0.0.1, for the duration of a test.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final String login;

  private LocalRegistry(Process process, int port, Path log, String login) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.login = login;
  }

  /** Starts a registry storing its data under {@code directory}. */
  public static LocalRegistry start(Path directory) throws IOException, InterruptedException {
    return start(directory, null, null);
  }

  /**
   * Starts a registry that serves HTTPS with a self-signed certificate and lets in only {@code
   * username} with {@code password} (HTTP basic auth from an htpasswd file), as private registries do.
   */
  public static LocalRegistry startWithLogin(Path directory, String username, String password)
      throws IOException, InterruptedException {
    Tools.require("htpasswd", "apache2-utils");
    Tools.require("openssl", "openssl");
    Files.createDirectories(directory);
    Path htpasswd = directory.resolve("htpasswd");
    Files.writeString(htpasswd, Tools.check(List.of("htpasswd", "-Bbn", username, password)));
    Tools.check(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", directory.resolve("key.pem").toString(),
        "-out", directory.resolve("cert.pem").toString()));
    return start(directory, htpasswd, username + ":" + password);
  }

  private static LocalRegistry start(Path directory, Path htpasswd, String login)
      throws IOException, InterruptedException {
    Tools.require("docker-registry", "docker-registry");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path storage = Files.createDirectories(directory.resolve("storage"));
    Path config = directory.resolve("registry.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + storage,
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:" + port,
        htpasswd == null ? "" : String.join("\n",
            "  tls:",
            "    certificate: " + directory.resolve("cert.pem"),
            "    key: " + directory.resolve("key.pem"),
            "auth:",
            "  htpasswd:",
            "    realm: bundler-test",
            "    path: " + htpasswd),
        ""));
    Path log = directory.resolve("registry.log");
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    LocalRegistry registry = new LocalRegistry(process, port, log, login);
    registry.awaitReady();
    return registry;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Copies an OCI archive into the registry with skopeo, as {@code repository:tag}. */
  public String push(Path ociArchive, String repositoryAndTag) throws IOException, InterruptedException {
    Tools.require("skopeo", "skopeo");
    String reference = address() + "/" + repositoryAndTag;
    List<String> command = new java.util.ArrayList<>(List.of("skopeo", "copy", "--dest-tls-verify=false"));
    if (login != null) {
      command.add("--dest-creds=" + login);
    }
    command.addAll(List.of("oci-archive:" + ociArchive, "docker://" + reference));
    Tools.check(command);
    return reference;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) URI.create(
            (login == null ? "http://" : "https://") + address() + "/v2/").toURL().openConnection();
        if (connection instanceof javax.net.ssl.HttpsURLConnection https) {
          https.setSSLSocketFactory(trustAll().getSocketFactory());
          https.setHostnameVerifier((host, session) -> true);
        }
        connection.setConnectTimeout(500);
        int status = connection.getResponseCode();
        if (status == 200 || (login != null && status == 401)) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("docker-registry did not start in 20 s:\n" + Files.readString(log));
  }

  /** Accepts the test registry's self-signed certificate, for the readiness probe only. */
  private static javax.net.ssl.SSLContext trustAll() throws IOException {
    try {
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {}

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {}

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
          return new java.security.cert.X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
