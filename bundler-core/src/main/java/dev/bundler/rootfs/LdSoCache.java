package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes {@code /etc/ld.so.cache} for a file tree, as {@code ldconfig -X} would: libc-bin's
 * trigger normally does it, and without it {@code ctypes.util.find_library} finds nothing.
 *
 * <p>The directories are those of {@code /etc/ld.so.conf} (with its {@code include}s) followed by
 * ldconfig's built-in ones; a directory reached twice through links counts once. In each, every
 * {@code lib*}/{@code ld-*} file with {@code .so} in its name that is an ELF shared object for the
 * architecture is listed under its soname, except development links ({@code libz.so}), listed
 * under their own name. The format is glibc's current one ({@code glibc-ld.so.cache1.1}), entries
 * in the order glibc's binary search expects.
 */
public final class LdSoCache {
  /** Where the cache goes. */
  public static final String PATH = "etc/ld.so.cache";

  private static final byte[] MAGIC = "glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_SIZE = 48;
  private static final int ENTRY_SIZE = 24;
  private static final int FLAG_ELF_LIBC6 = 0x0003;
  private static final int EXTENSION_MAGIC = 0xeaa42174;
  private static final int EXTENSION_TAG_GENERATOR = 0;

  private LdSoCache() {}

  /** One cache entry: the name programs ask for and the path it resolves to. */
  record Entry(String name, String path) {}

  /** The cache file for {@code tree}, for Debian architecture {@code amd64} or {@code arm64}. */
  public static byte[] build(FileTree tree, String architecture) throws IOException {
    return write(entries(tree, architecture), flags(architecture));
  }

  static List<Entry> entries(FileTree tree, String architecture) throws IOException {
    String triplet = triplet(architecture);
    int machine = architecture.equals("arm64") ? ElfFile.EM_AARCH64 : ElfFile.EM_X86_64;
    Set<String> directories = new LinkedHashSet<>(LdSoConf.directories(tree));
    directories.addAll(List.of("/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib"));
    Set<String> scanned = new LinkedHashSet<>();
    List<Entry> entries = new ArrayList<>();
    for (String directory : directories) {
      String real = tree.realDirectory(directory);
      if (real == null || !scanned.add(real)) {
        continue;
      }
      Map<String, String> byName = new LinkedHashMap<>();
      for (String name : tree.list(real)) {
        if (!(name.startsWith("lib") || name.startsWith("ld-")) || !name.contains(".so")) {
          continue;
        }
        LayerEntry entry = tree.get(real + "/" + name).orElseThrow();
        Optional<FileTree.Resolved> target = tree.resolve(real + "/" + name);
        if (target.isEmpty() || target.get().entry().type() != LayerEntry.Type.FILE) {
          continue;
        }
        Optional<String> soname = ElfFile.soname(target.get().entry().content(), machine);
        if (soname.isEmpty()) {
          continue;
        }
        boolean developmentLink =
            entry.type() == LayerEntry.Type.SYMLINK
                && name.endsWith(".so")
                && !name.equals(soname.get());
        String key = developmentLink ? name : soname.get();
        byName.putIfAbsent(key, directory + "/" + key);
      }
      byName.forEach((name, path) -> entries.add(new Entry(name, path)));
    }
    entries.sort(Comparator.comparing(Entry::name, LdSoCache::libraryOrder).reversed());
    return entries;
  }

  /**
   * glibc's library-name order: digit runs compare as numbers, a digit sorts after any other
   * character, everything else by character code.
   */
  static int libraryOrder(String left, String right) {
    int i = 0;
    int j = 0;
    while (i < left.length()) {
      char a = left.charAt(i);
      char b = j < right.length() ? right.charAt(j) : '\0';
      if (isDigit(a)) {
        if (!isDigit(b)) {
          return 1;
        }
        long x = 0;
        while (i < left.length() && isDigit(left.charAt(i))) {
          x = x * 10 + left.charAt(i++) - '0';
        }
        long y = 0;
        while (j < right.length() && isDigit(right.charAt(j))) {
          y = y * 10 + right.charAt(j++) - '0';
        }
        if (x != y) {
          return Long.compare(x, y);
        }
      } else if (isDigit(b)) {
        return -1;
      } else if (a != b) {
        return Character.compare(a, b);
      } else {
        i++;
        j++;
      }
    }
    return j < right.length() ? -1 : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static String triplet(String architecture) {
    return switch (architecture) {
      case "amd64" -> "x86_64-linux-gnu";
      case "arm64" -> "aarch64-linux-gnu";
      default -> throw new IllegalArgumentException("unsupported architecture " + architecture);
    };
  }

  private static int flags(String architecture) {
    int lib64 = architecture.equals("arm64") ? 0x0a00 : 0x0300;
    return FLAG_ELF_LIBC6 | lib64;
  }

  static byte[] write(List<Entry> entries, int flags) {
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    int stringsStart = HEADER_SIZE + ENTRY_SIZE * entries.size();
    ByteBuffer table =
        ByteBuffer.allocate(ENTRY_SIZE * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (Entry entry : entries) {
      int key = stringsStart + strings.size();
      strings.writeBytes(zeroTerminated(entry.name()));
      int value = stringsStart + strings.size();
      strings.writeBytes(zeroTerminated(entry.path()));
      table.putInt(flags).putInt(key).putInt(value).putInt(0).putLong(0);
    }
    byte[] generator = "bundler".getBytes(StandardCharsets.US_ASCII);
    int extensionOffset = align4(stringsStart + strings.size());
    int generatorOffset = extensionOffset + 8 + 16;
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putInt(entries.size()).putInt(strings.size());
    header.put((byte) 2).put(new byte[3]).putInt(extensionOffset).put(new byte[12]);
    ByteBuffer extension = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
    extension.putInt(EXTENSION_MAGIC).putInt(1);
    extension.putInt(EXTENSION_TAG_GENERATOR).putInt(0).putInt(generatorOffset).putInt(generator.length);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(table.array());
    out.writeBytes(strings.toByteArray());
    out.writeBytes(new byte[extensionOffset - out.size()]);
    out.writeBytes(extension.array());
    out.writeBytes(generator);
    return out.toByteArray();
  }

  private static byte[] zeroTerminated(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] terminated = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, terminated, 0, bytes.length);
    return terminated;
  }

  private static int align4(int offset) {
    return (offset + 3) & ~3;
  }
}
