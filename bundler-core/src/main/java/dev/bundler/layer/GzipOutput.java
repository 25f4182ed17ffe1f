package dev.bundler.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream with no name and no time in its header, compressed through direct buffers.
 *
 * <p>Why not {@link java.util.zip.GZIPOutputStream}: java.util.zip deflates a {@code byte[]}
 * inside a JNI critical region, which holds the garbage collector off. With layers compressed in
 * parallel, G1 then meets its collections blocked and grows the heap at each "GCLocker Initiated
 * GC" (a cold build committed 656 MB of heap for a live set of 200 MB). A direct buffer is never
 * pinned. The compressed bytes are zlib's, whatever the chunks written: the same as
 * GZIPOutputStream's at the same level.
 */
public final class GzipOutput extends OutputStream {
  private static final int BUFFER = 1 << 16;
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff
  };

  private final OutputStream out;
  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final ByteBuffer input = ByteBuffer.allocateDirect(BUFFER);
  private final ByteBuffer output = ByteBuffer.allocateDirect(BUFFER);
  private final byte[] transfer = new byte[BUFFER];
  private long size;
  private boolean closed;

  /** A stream compressing at {@code level} (0 to 9) into {@code out}, which it closes. */
  public GzipOutput(OutputStream out, int level) throws IOException {
    this.out = out;
    this.deflater = new Deflater(level, true);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      int n = Math.min(length, input.remaining());
      input.put(bytes, offset, n);
      offset += n;
      length -= n;
      if (!input.hasRemaining()) {
        deflate(false);
      }
    }
  }

  private void deflate(boolean finish) throws IOException {
    input.flip();
    size += input.remaining();
    crc.update(input.duplicate());
    deflater.setInput(input);
    if (finish) {
      deflater.finish();
    }
    while (finish ? !deflater.finished() : !deflater.needsInput()) {
      output.clear();
      deflater.deflate(output);
      output.flip();
      int n = output.remaining();
      output.get(transfer, 0, n);
      out.write(transfer, 0, n);
    }
    input.clear();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      deflate(true);
      int value = (int) crc.getValue();
      int length = (int) size;
      out.write(new byte[] {
        (byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24),
        (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)
      });
    } finally {
      deflater.end();
      out.close();
    }
  }
}
