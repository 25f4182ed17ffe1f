package dev.bundler.rootfs;

import dev.bundler.layer.Content;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The little bit of ELF the linker cache needs: whether a file is a 64-bit little-endian shared
 * object for a given machine, and its {@code DT_SONAME}.
 *
 * <p>Reads only the headers, the program headers, the dynamic segment and the one string it needs,
 * skipping forward through the stream (at most two passes), so large libraries are never loaded.
 */
final class ElfFile {
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;

  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final long DT_NULL = 0;
  private static final long DT_STRTAB = 5;
  private static final long DT_SONAME = 14;
  private static final int ET_DYN = 3;

  private ElfFile() {}

  /** The shared object's soname; empty if not an ELF shared object for {@code machine}. */
  static Optional<String> soname(Content content, int machine) throws IOException {
    try {
      return readSoname(content, machine);
    } catch (java.io.EOFException truncated) {
      return Optional.empty();
    }
  }

  private static Optional<String> readSoname(Content content, int machine) throws IOException {
    if (content.size() < 64) {
      return Optional.empty();
    }
    long strtabVaddr = -1;
    long sonameOffset = -1;
    long[][] loads;
    try (InputStream in = content.open()) {
      ByteBuffer header = read(in, 64);
      if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
        return Optional.empty();
      }
      if (header.getShort(16) != ET_DYN || (header.getShort(18) & 0xffff) != machine) {
        return Optional.empty();
      }
      long phoff = header.getLong(32);
      int phentsize = header.getShort(54) & 0xffff;
      int phnum = header.getShort(56) & 0xffff;
      if (phoff < 64 || phentsize < 56 || phnum == 0 || phnum > 1024) {
        return Optional.empty();
      }
      skip(in, phoff - 64);
      ByteBuffer programHeaders = read(in, phentsize * phnum);
      long position = phoff + (long) phentsize * phnum;
      loads = new long[phnum][];
      long dynamicOffset = -1;
      long dynamicSize = 0;
      for (int i = 0; i < phnum; i++) {
        int base = i * phentsize;
        int type = programHeaders.getInt(base);
        long offset = programHeaders.getLong(base + 8);
        long vaddr = programHeaders.getLong(base + 16);
        long filesz = programHeaders.getLong(base + 32);
        if (type == PT_LOAD) {
          loads[i] = new long[] {vaddr, offset, filesz};
        } else if (type == PT_DYNAMIC) {
          dynamicOffset = offset;
          dynamicSize = filesz;
        }
      }
      if (dynamicOffset < position || dynamicSize <= 0 || dynamicSize > (1 << 20)) {
        return Optional.empty();
      }
      skip(in, dynamicOffset - position);
      ByteBuffer dynamic = read(in, (int) dynamicSize);
      for (int at = 0; at + 16 <= dynamicSize; at += 16) {
        long tag = dynamic.getLong(at);
        long value = dynamic.getLong(at + 8);
        if (tag == DT_NULL) {
          break;
        } else if (tag == DT_STRTAB) {
          strtabVaddr = value;
        } else if (tag == DT_SONAME) {
          sonameOffset = value;
        }
      }
    }
    if (strtabVaddr < 0 || sonameOffset < 0) {
      return Optional.empty();
    }
    long fileOffset = toFileOffset(loads, strtabVaddr + sonameOffset);
    if (fileOffset < 0 || fileOffset >= content.size()) {
      return Optional.empty();
    }
    try (InputStream in = content.open()) {
      skip(in, fileOffset);
      StringBuilder name = new StringBuilder();
      for (int b; (b = in.read()) > 0 && name.length() < 4096; ) {
        name.append((char) b);
      }
      return name.length() == 0 ? Optional.empty() : Optional.of(name.toString());
    }
  }

  private static long toFileOffset(long[][] loads, long vaddr) {
    for (long[] load : loads) {
      if (load != null && vaddr >= load[0] && vaddr < load[0] + load[2]) {
        return load[1] + (vaddr - load[0]);
      }
    }
    return -1;
  }

  private static ByteBuffer read(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new java.io.EOFException("truncated ELF file");
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void skip(InputStream in, long count) throws IOException {
    long remaining = count;
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new java.io.EOFException("truncated ELF file");
        }
        skipped = 1;
      }
      remaining -= skipped;
    }
  }
}
