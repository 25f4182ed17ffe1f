package dev.bundler.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-HTTP server on 127.0.0.1 that, as real plain-HTTP registries do, drops a connection
 * opening with a TLS handshake at once (the JDK's own server would wait for a request line until
 * the client's connect timeout). Each request is recorded and answered by a handler.
 */
public final class PlainHttpServer implements AutoCloseable {
  /** A request as received: its method, path with query, and headers by lower-case name. */
  public record Request(String method, String target, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A response to send. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public Response(int status, Map<String, String> headers, String body) {
      this(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Answers a request. */
  public interface Handler {
    Response handle(Request request);
  }

  private final ServerSocket socket;
  private final Thread acceptor;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int tlsAttempts;

  private PlainHttpServer(Handler handler) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          serve(connection, handler);
        } catch (IOException e) {
          // closed, or a client gone: next
        }
      }
    }, "plain-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static PlainHttpServer start(Handler handler) throws IOException {
    return new PlainHttpServer(handler);
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** The plain-HTTP requests received so far. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many connections opened with a TLS handshake (and were dropped). */
  public int tlsAttempts() {
    return tlsAttempts;
  }

  private void serve(Socket connection, Handler handler) throws IOException {
    InputStream in = new BufferedInputStream(connection.getInputStream());
    in.mark(1);
    int first = in.read();
    if (first == 0x16) {
      tlsAttempts++;
      return;
    }
    in.reset();
    String requestLine = line(in);
    Map<String, String> headers = new TreeMap<>();
    for (String header; !(header = line(in)).isEmpty(); ) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).strip());
      }
    }
    String[] parts = requestLine.split(" ");
    Request request = new Request(parts[0], parts.length > 1 ? parts[1] : "", headers);
    String length = headers.get("content-length");
    if (length != null) {
      in.readNBytes(Integer.parseInt(length));
    }
    requests.add(request);
    Response response = handler.handle(request);
    byte[] body = response.body();
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(" X\r\n");
    response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    OutputStream out = connection.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    if (!request.method().equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) {
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
