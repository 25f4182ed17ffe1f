package dev.bundler.testkit;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A syslog socket the test reads: a Unix stream socket, as {@code /dev/log} is for programs that
 * find no datagram socket there ({@code logger}, glibc's {@code syslog()} fall back to a stream).
 * Bind-mount {@link #socket()} as a container's {@code /dev/log}. Messages are the lines received,
 * with their {@code <PRI>} prefix.
 */
public final class SyslogServer implements AutoCloseable {
  private final Path socket;
  private final ServerSocketChannel server;
  private final StringBuilder received = new StringBuilder();
  private final Thread acceptor;

  private SyslogServer(Path socket, ServerSocketChannel server) {
    this.socket = socket;
    this.server = server;
    this.acceptor = new Thread(this::accept, "syslog " + socket);
    acceptor.setDaemon(true);
  }

  /** Listens on {@code socket}, writable by every user (container users connect to it). */
  public static SyslogServer listen(Path socket) throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    SyslogServer syslog = new SyslogServer(socket, server);
    syslog.acceptor.start();
    return syslog;
  }

  public Path socket() {
    return socket;
  }

  /** Every message received so far. */
  public List<String> messages() {
    List<String> messages = new ArrayList<>();
    synchronized (received) {
      for (String line : received.toString().split("[\n\0]")) {
        if (!line.isBlank()) {
          messages.add(line);
        }
      }
    }
    return messages;
  }

  /**
   * Waits until the messages received satisfy {@code condition}, for up to {@code timeout};
   * returns them, or fails naming {@code what} with the messages received.
   */
  public List<String> await(String what, Duration timeout, Predicate<List<String>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.test(messages())) {
        return messages();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("syslog did not receive " + what + " in " + timeout.toSeconds()
        + " s; it received:\n" + String.join("\n", messages()));
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread reader = new Thread(() -> read(client), "syslog client");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void read(SocketChannel client) {
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    try (client) {
      while (client.read(buffer) >= 0) {
        buffer.flip();
        synchronized (received) {
          received.append(StandardCharsets.UTF_8.decode(buffer));
        }
        buffer.clear();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }
}
