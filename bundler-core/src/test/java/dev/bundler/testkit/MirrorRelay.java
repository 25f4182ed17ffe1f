package dev.bundler.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's Debian mirror, relayed by a server on 127.0.0.1: a test configures the relay's
 * address as its mirror, and closes the relay to make that same mirror unreachable.
 */
public final class MirrorRelay implements AutoCloseable {
  private final HttpServer server;
  private boolean closed;

  private MirrorRelay(HttpServer server) {
    this.server = server;
  }

  /** Relays to the archive host of this machine's {@code /etc/apt/sources.list.d/debian.sources}. */
  public static MirrorRelay start() throws IOException {
    String sources = Files.readString(Path.of("/etc/apt/sources.list.d/debian.sources"));
    Matcher uri = Pattern.compile("(?m)^URIs:\\s*(https?://[^/\\s]+)").matcher(sources);
    if (!uri.find()) {
      throw new AssertionError("No URIs: line in /etc/apt/sources.list.d/debian.sources");
    }
    String upstream = uri.group(1);
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> {
      try {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
            URI.create(upstream + exchange.getRequestURI())).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
          in.transferTo(out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return new MirrorRelay(server);
  }

  /** The mirror URL to configure: {@code http://127.0.0.1:PORT/debian}. */
  public String mirror() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/debian";
  }

  /** Stops relaying: the mirror is unreachable from now on. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.stop(0);
    }
  }
}
