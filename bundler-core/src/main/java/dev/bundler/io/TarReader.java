package dev.bundler.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A tar archive read entry by entry, in the formats {@code dpkg-deb} and GNU tar write: ustar,
 * GNU (long names and link targets in {@code L} and {@code K} entries, base-256 numbers) and
 * POSIX pax ({@code x} and {@code g} headers: path, linkpath, size, uid, gid).
 *
 * <p>bundler reads every file of a few hundred {@code .deb}s in a cold build, about 35,000 tar
 * entries. commons-compress' reader allocates an 8 KiB buffer to skip each entry's padding, 280
 * MB of garbage in a build that G1 answers by growing the heap; this one reuses its buffers, and
 * allocates per entry only the entry itself and its names.
 *
 * <p>Every header's checksum is checked, numbers and sizes are checked for range, and a
 * truncated archive is an {@link EOFException}: an archive that is not well formed is an
 * {@link IOException} saying where, never a partial entry.
 */
public final class TarReader {
  private static final int BLOCK = 512;
  /** The longest GNU long name or pax header read into memory. */
  private static final int MAX_META = 1 << 20;

  /** What an entry is. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    /** A character or block device, a FIFO, or a type bundler does not know. */
    OTHER
  }

  /**
   * One entry: its path as written (no leading {@code ./} removed), its permission bits and
   * owner, its size (of content, for files) and, for links, the target.
   */
  public record Entry(String name, Type type, char typeFlag, int mode, long uid, long gid,
      long size, String linkName) {}

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final byte[] skipBuffer = new byte[8 * BLOCK];
  private final Map<String, String> globalPax = new HashMap<>();
  private long remaining;
  private long padding;
  private long offset;
  private boolean ended;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, its content ready to {@link #read}, or {@code null} at the archive's end. */
  public Entry next() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    if (ended) {
      return null;
    }
    String longName = null;
    String longLink = null;
    Map<String, String> pax = null;
    while (true) {
      long at = offset;
      if (!readHeader()) {
        ended = true;
        return null;
      }
      char flag = (char) (header[156] & 0xff);
      long size = number(124, 12, at, "size");
      if (flag == 'L' || flag == 'K' || flag == 'x' || flag == 'g') {
        byte[] meta = readMeta(size, at);
        if (flag == 'L') {
          longName = cString(meta, 0, meta.length);
        } else if (flag == 'K') {
          longLink = cString(meta, 0, meta.length);
        } else if (flag == 'x') {
          pax = new HashMap<>();
          parsePax(meta, pax, at);
        } else {
          parsePax(meta, globalPax, at);
        }
        continue;
      }
      if (flag == 'S') {
        throw new IOException("a GNU sparse file at byte " + at + ", which bundler does not read");
      }
      Map<String, String> values = globalPax;
      if (pax != null) {
        values = new HashMap<>(globalPax);
        values.putAll(pax);
      }
      String name = values.containsKey("path") ? values.get("path")
          : longName != null ? longName : headerName();
      String link = values.containsKey("linkpath") ? values.get("linkpath")
          : longLink != null ? longLink : cString(header, 157, 100);
      if (values.containsKey("size")) {
        size = paxNumber(values.get("size"), "size", at);
      }
      long uid = values.containsKey("uid") ? paxNumber(values.get("uid"), "uid", at)
          : number(108, 8, at, "uid");
      long gid = values.containsKey("gid") ? paxNumber(values.get("gid"), "gid", at)
          : number(116, 8, at, "gid");
      int mode = (int) (number(100, 8, at, "mode") & 07777);
      Type type = type(flag, name);
      if (name.isEmpty()) {
        throw new IOException("an entry without a name at byte " + at);
      }
      long content = hasContent(type, flag) ? size : 0;
      remaining = content;
      padding = (BLOCK - content % BLOCK) % BLOCK;
      return new Entry(name, type, flag, mode, uid, gid, type == Type.FILE ? size : 0,
          type == Type.SYMLINK || type == Type.HARDLINK ? link : "");
    }
  }

  /** Reads the current entry's content, as {@link InputStream#read(byte[], int, int)}. */
  public int read(byte[] buffer, int start, int length) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(buffer, start, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException("the archive ends inside an entry, " + remaining + " bytes short");
    }
    remaining -= n;
    offset += n;
    return n;
  }

  /**
   * The current entry's whole content, at most {@code limit} bytes.
   *
   * @throws IOException if it is longer
   */
  public byte[] readAll(int limit) throws IOException {
    if (remaining > limit) {
      throw new IOException("an entry of " + remaining + " bytes, more than the " + limit
          + " read into memory");
    }
    byte[] content = new byte[(int) remaining];
    readFully(content, content.length);
    return content;
  }

  /**
   * Whether the entry's size counts content blocks after its header: for files and unknown
   * types (a GNU volume label, say), not for directories, links, devices and FIFOs.
   */
  private static boolean hasContent(Type type, char flag) {
    return type == Type.FILE || type == Type.OTHER && flag != '3' && flag != '4' && flag != '6';
  }

  private static Type type(char flag, String name) {
    switch (flag) {
      case '0':
      case '\0':
        return name.endsWith("/") ? Type.DIRECTORY : Type.FILE;
      case '7':
        return Type.FILE;
      case '1':
        return Type.HARDLINK;
      case '2':
        return Type.SYMLINK;
      case '5':
        return Type.DIRECTORY;
      default:
        return Type.OTHER;
    }
  }

  /** Reads the next header block; {@code false} at the end (a zero block, or no more bytes). */
  private boolean readHeader() throws IOException {
    int n = 0;
    while (n < BLOCK) {
      int r = in.read(header, n, BLOCK - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("the archive ends inside a header, at byte " + (offset + n));
    }
    long at = offset;
    offset += BLOCK;
    long sum = 0;
    boolean zero = true;
    for (int i = 0; i < BLOCK; i++) {
      int b = header[i] & 0xff;
      zero &= b == 0;
      sum += i >= 148 && i < 156 ? ' ' : b;
    }
    if (zero) {
      return false;
    }
    long recorded;
    try {
      recorded = number(148, 8, at, "checksum");
    } catch (IOException notANumber) {
      recorded = -1;
    }
    if (recorded != sum && recorded != signedSum()) {
      throw new IOException("a header whose checksum is wrong at byte " + at
          + " (not a tar archive, or a damaged one)");
    }
    return true;
  }

  /** The checksum as old tars computed it, with signed bytes. */
  private long signedSum() {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i];
    }
    return sum;
  }

  /** The name field, with the ustar prefix (not GNU's, which holds times there). */
  private String headerName() {
    String name = cString(header, 0, 100);
    boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't'
        && header[260] == 'a' && header[261] == 'r' && header[262] == 0;
    if (posix && header[345] != 0) {
      return cString(header, 345, 155) + "/" + name;
    }
    return name;
  }

  /** An octal number field (leading spaces, a NUL or space at its end), or a base-256 one. */
  private long number(int start, int length, long at, String field) throws IOException {
    int first = header[start] & 0xff;
    if ((first & 0x80) != 0) {
      // base-256, two's complement: GNU tar's form for numbers the octal field cannot hold
      if ((first & 0x40) != 0) {
        throw new IOException("a negative " + field + " at byte " + at);
      }
      long value = first & 0x3f;
      for (int i = start + 1; i < start + length; i++) {
        if (value >>> 55 != 0) {
          throw new IOException("a " + field + " too large at byte " + at);
        }
        value = value << 8 | header[i] & 0xff;
      }
      return value;
    }
    int i = start;
    int end = start + length;
    while (i < end && header[i] == ' ') {
      i++;
    }
    long value = 0;
    boolean digits = false;
    for (; i < end; i++) {
      int b = header[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new IOException("a " + field + " that is not an octal number at byte " + at);
      }
      value = value << 3 | b - '0';
      digits = true;
    }
    for (; i < end; i++) {
      if (header[i] != 0 && header[i] != ' ') {
        throw new IOException("a " + field + " that is not an octal number at byte " + at);
      }
    }
    return digits ? value : 0;
  }

  private static long paxNumber(String value, String field, long at) throws IOException {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IOException("a pax " + field + " '" + value + "' that is not a number at byte " + at);
    }
    return Long.parseLong(value);
  }

  private byte[] readMeta(long size, long at) throws IOException {
    if (size > MAX_META) {
      throw new IOException("a long name or pax header of " + size + " bytes at byte " + at);
    }
    byte[] meta = new byte[(int) size];
    remaining = size;
    readFully(meta, meta.length);
    skip((BLOCK - size % BLOCK) % BLOCK);
    return meta;
  }

  /** Pax records, {@code LENGTH key=value\n} each, LENGTH counting the whole record. */
  private static void parsePax(byte[] meta, Map<String, String> into, long at) throws IOException {
    int i = 0;
    while (i < meta.length) {
      if (meta[i] == 0) {
        break;
      }
      int length = 0;
      int j = i;
      while (j < meta.length && meta[j] >= '0' && meta[j] <= '9' && length < MAX_META) {
        length = length * 10 + meta[j++] - '0';
      }
      if (j == i || j >= meta.length || meta[j] != ' ' || length <= j - i + 1
          || i + length > meta.length || meta[i + length - 1] != '\n') {
        throw new IOException("a pax header that is not well formed at byte " + at);
      }
      int end = i + length - 1;
      int equals = j + 1;
      while (equals < end && meta[equals] != '=') {
        equals++;
      }
      if (equals == end) {
        throw new IOException("a pax record without '=' at byte " + at);
      }
      String key = new String(meta, j + 1, equals - j - 1, StandardCharsets.UTF_8);
      String value = new String(meta, equals + 1, end - equals - 1, StandardCharsets.UTF_8);
      if (value.isEmpty()) {
        into.remove(key);
      } else {
        into.put(key, value);
      }
      i += length;
    }
  }

  private static String cString(byte[] bytes, int start, int length) {
    int end = start;
    while (end < start + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  private void readFully(byte[] into, int length) throws IOException {
    int n = 0;
    while (n < length) {
      int r = read(into, n, length - n);
      if (r < 0) {
        throw new EOFException("the archive ends inside an entry");
      }
      n += r;
    }
  }

  private void skip(long bytes) throws IOException {
    while (bytes > 0) {
      int r = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, bytes));
      if (r < 0) {
        throw new EOFException("the archive ends inside an entry, " + bytes + " bytes short");
      }
      bytes -= r;
      offset += r;
    }
  }
}
