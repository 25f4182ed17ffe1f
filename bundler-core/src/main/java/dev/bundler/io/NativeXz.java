package dev.bundler.io;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * xz decompression by the machine's {@code xz} program (liblzma), for the large members of
 * Debian packages: a cold build decompresses some 550 MB of them, which takes bundler's Java
 * decoder 9.5 s of CPU on a 2-core machine and {@code xz} 7 s, on another process, with no
 * compilation of the decoder by the JVM and no 8 MiB dictionary per package in the heap.
 *
 * <p>The compressed bytes are fed to {@code xz} from the caller's stream on a thread of their
 * own, so that a caller that hashes what it reads (every .deb and index is checked against its
 * signed hash) sees every byte, exactly once, and in order; {@link Stream#close} waits for that
 * thread. What {@code xz} writes is untrusted as the Java decoder's output is: the readers check
 * it as they would. {@code xz} runs single-threaded with a memory limit ({@link #MEMORY_LIMIT_KIB}),
 * so a hostile stream cannot claim the machine's memory. Without an {@code xz} program on the
 * {@code PATH} that decompresses a stream made here ({@link #works}), or with {@code
 * -Dbundler.nativeXz=false}, {@link #open} returns {@code null} and callers decode in Java: the
 * bytes are the same.
 */
public final class NativeXz {
  /** The most memory an xz stream may need, in KiB: Debian's largest dictionaries need 64 MiB. */
  public static final int MEMORY_LIMIT_KIB = 256 << 10;

  /** What is read of the output after the caller closes it early, before {@code xz} is stopped. */
  private static final int DRAIN_LIMIT = 1 << 20;

  private static volatile Path program;
  private static volatile boolean looked;

  private NativeXz() {}

  /** The {@code xz} program this build uses, or {@code null} if there is none or it is disabled. */
  public static Path program() {
    if ("false".equals(System.getProperty("bundler.nativeXz"))) {
      return null;
    }
    if (!looked) {
      synchronized (NativeXz.class) {
        if (!looked) {
          Path found = find(System.getenv("PATH"));
          program = found != null && works(found) ? found : null;
          looked = true;
        }
      }
    }
    return program;
  }

  /**
   * Whether {@code xz} decompresses, with the options bundler gives it, a stream the Java encoder
   * made: a broken or too old {@code xz} on the {@code PATH} is left unused (the Java decoder
   * reads the packages), rather than blamed on every package it fails to read.
   */
  static boolean works(Path xz) {
    byte[] text = "bundler checks the machine's xz\n".repeat(64)
        .getBytes(StandardCharsets.US_ASCII);
    try {
      java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
      try (org.tukaani.xz.XZOutputStream out = new org.tukaani.xz.XZOutputStream(compressed,
          new org.tukaani.xz.LZMA2Options(1))) {
        out.write(text);
      }
      try (InputStream in = open(xz, new java.io.ByteArrayInputStream(compressed.toByteArray()))) {
        return java.util.Arrays.equals(in.readAllBytes(), text);
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The first executable regular file named {@code xz} on {@code path}, or {@code null}. */
  static Path find(String path) {
    if (path == null) {
      return null;
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, "xz");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * {@code compressed} decompressed by {@code xz}, or {@code null} when no {@code xz} program is
   * at hand. The stream returned reads {@code compressed} to its end (on another thread) and,
   * closed, waits until it has.
   */
  public static Stream open(InputStream compressed) throws IOException {
    Path xz = program();
    return xz == null ? null : open(xz, compressed);
  }

  /** {@code compressed} decompressed by the program {@code xz}. */
  public static Stream open(Path xz, InputStream compressed) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(xz.toString(), "--decompress", "--stdout",
        "--threads=1", "--memlimit-decompress=" + MEMORY_LIMIT_KIB + "KiB", "--no-warn"));
    builder.redirectError(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    return new Stream(process, compressed);
  }

  /** The output of one {@code xz} run, and the thread that feeds it. */
  public static final class Stream extends FilterInputStream {
    private final Process process;
    private final Thread feeder;
    private volatile IOException readFailure;
    private boolean ended;
    private boolean closed;

    private Stream(Process process, InputStream compressed) {
      super(process.getInputStream());
      this.process = process;
      this.feeder = new Thread(() -> feed(compressed), "bundler-xz-feeder");
      feeder.setDaemon(true);
      feeder.start();
    }

    /**
     * Copies {@code compressed} to {@code xz} to its end; once {@code xz} stops taking it (it
     * failed, or was stopped), the rest is left for the caller, who reads it after {@link
     * #close}.
     */
    private void feed(InputStream compressed) {
      byte[] buffer = new byte[1 << 16];
      try (OutputStream out = process.getOutputStream()) {
        for (int n; (n = compressed.read(buffer)) >= 0; ) {
          try {
            out.write(buffer, 0, n);
          } catch (IOException stopped) {
            return; // xz exited: its status says why
          }
        }
      } catch (IOException e) {
        readFailure = e;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (ended) {
        return -1;
      }
      int n = super.read(buffer, offset, length);
      if (n < 0) {
        ended = true;
        finish();
      }
      return n;
    }

    /** At the end of the output: the input's read and {@code xz}'s status, as failures. */
    private void finish() throws IOException {
      join();
      if (readFailure != null) {
        throw readFailure;
      }
      int status = waitFor();
      if (status != 0) {
        String message = new String(process.getErrorStream().readNBytes(4096),
            StandardCharsets.UTF_8).strip();
        throw new IOException("xz failed (exit " + status + ")"
            + (message.isEmpty() ? "" : ": " + message));
      }
    }

    /**
     * Ends the run: the output is read to its end if little of it is left (so that {@code xz}
     * checks the whole stream), else {@code xz} is stopped; returns once the feeding thread is
     * done with the caller's stream.
     */
    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!ended) {
          byte[] buffer = new byte[1 << 16];
          long drained = 0;
          for (int n; drained < DRAIN_LIMIT && (n = super.read(buffer, 0, buffer.length)) >= 0; ) {
            drained += n;
          }
          if (drained < DRAIN_LIMIT) {
            ended = true;
            finish();
          }
        }
      } finally {
        process.destroy();
        join();
        super.close();
        process.getErrorStream().close();
      }
    }

    private void join() throws IOException {
      try {
        feeder.join();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while xz ran");
      }
    }

    private int waitFor() throws IOException {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while xz ran");
      }
    }
  }
}
