package dev.bundler.testkit;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1, made once per test JVM with the JDK's own {@code
 * keytool}, and HTTPS servers using it: what a local registry with a home-made certificate
 * looks like to a client.
 */
public final class SelfSignedTls {
  private static final char[] PASSWORD = "test-only".toCharArray();
  private static SSLContext context;

  private SelfSignedTls() {}

  /** An HTTPS server on 127.0.0.1 (any free port) with the self-signed certificate; not started. */
  public static HttpsServer server() throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context()));
    return server;
  }

  /** The server side's TLS context. */
  public static synchronized SSLContext context() throws IOException {
    if (context == null) {
      Path directory = Files.createTempDirectory("bundler-test-tls-");
      Path store = directory.resolve("server.p12");
      try {
        Tools.check(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", store.toString(),
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
          keys.load(in, PASSWORD);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        context = tls;
      } catch (GeneralSecurityException | InterruptedException e) {
        throw new IOException("cannot make the test certificate: " + e, e);
      } finally {
        Files.deleteIfExists(store);
        Files.deleteIfExists(directory);
      }
    }
    return context;
  }
}
