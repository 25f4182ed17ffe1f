package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.NativeXz;
import dev.bundler.io.TarReader;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A {@code .deb} read without dpkg: the {@code ar} archive's {@code control.tar.*} (control file,
 * maintainer scripts, md5sums, conffiles) and {@code data.tar.*}, whose files are unpacked into a
 * directory so that layers can read them back; every entry keeps its mode, owner and links.
 *
 * @param control the control paragraph
 * @param controlFiles the other members of control.tar by name ({@code postinst}, {@code md5sums})
 * @param entries the package's files, paths relative to the root, in archive order
 */
public record DebArchive(Deb822 control, Map<String, byte[]> controlFiles, List<LayerEntry> entries) {
  /** The largest member of control.tar read (md5sums of a package with 100,000 files: 8 MB). */
  private static final int MAX_CONTROL_FILE = 64 << 20;
  private static final org.tukaani.xz.ArrayCache BUFFERS = org.tukaani.xz.BasicArrayCache.getInstance();

  /**
   * Reads {@code deb} (the package {@code name}, for messages: {@code libc6 2.36-9}), unpacking
   * regular files under {@code unpackTo}, and checks while reading
   * that its content hashes to {@code sha256}, the hash the signed index (or the lockfile) gives:
   * the package is read once, and what was read is kept only if the hash matches.
   *
   * @throws HashingInput.Mismatch if the file is not the package recorded (then nothing it held
   *     is kept: {@code unpackTo} is removed)
   * @throws InvalidInputException naming the file if it is the recorded package but not a valid,
   *     safe one
   */
  static DebArchive read(Path deb, String sha256, String name, Path unpackTo) throws InvalidInputException, IOException {
    try (HashingInput hashed = HashingInput.open(deb)) {
      DebArchive archive;
      try {
        archive = parse(new BufferedInputStream(hashed, 1 << 16), name, unpackTo);
      } catch (java.nio.file.FileSystemException diskSide) {
        throw diskSide;
      } catch (InvalidInputException | IOException e) {
        verify(hashed, sha256, unpackTo);
        throw e;
      }
      verify(hashed, sha256, unpackTo);
      return archive;
    }
  }

  private static void verify(HashingInput hashed, String sha256, Path unpackTo) throws IOException {
    try {
      hashed.verify(sha256);
    } catch (HashingInput.Mismatch e) {
      dev.bundler.io.AtomicFiles.deleteRecursively(unpackTo);
      throw e;
    }
  }

  private static DebArchive parse(InputStream in, String deb, Path unpackTo)
      throws InvalidInputException, IOException {
    Deb822 control = null;
    Map<String, byte[]> controlFiles = new LinkedHashMap<>();
    List<LayerEntry> entries = null;
    try {
      // not closed here: the caller still reads the rest of the file through its hash
      ArArchiveInputStream ar = new ArArchiveInputStream(in);
      boolean sawBinary = false;
      for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
        String name = member.getName();
        if (name.equals("debian-binary")) {
          String version = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
          if (!version.startsWith("2.")) {
            throw bad(deb, "has format " + version + ", not 2.x");
          }
          sawBinary = true;
        } else if (name.startsWith("control.tar")) {
          for (Map.Entry<String, byte[]> file : readControl(decompress(ar, name, deb, false)).entrySet()) {
            if (file.getKey().equals("control")) {
              control = Deb822.parseAll(new String(file.getValue(), StandardCharsets.UTF_8)).get(0);
            } else {
              controlFiles.put(file.getKey(), file.getValue());
            }
          }
        } else if (name.startsWith("data.tar")) {
          entries = readData(decompress(ar, name, deb, true), unpackTo, deb);
        }
      }
      if (!sawBinary || control == null || entries == null) {
        throw bad(deb, "lacks debian-binary, control.tar or data.tar");
      }
    } catch (java.nio.file.FileSystemException diskSide) {
      throw diskSide;
    } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw bad(deb, "cannot be read: " + e.getMessage());
    }
    return new DebArchive(control, controlFiles, entries);
  }

  /**
   * The member {@code name} of {@code deb}, decompressed; a {@code large} one (the data) by the
   * machine's {@code xz} when there is one ({@link NativeXz}), which the stream returned waits
   * for when closed.
   */
  private static InputStream decompress(InputStream member, String name, String deb,
      boolean large) throws IOException, InvalidInputException {
    InputStream unclosable = unclosable(member); // the ar stream stays open for the next member
    if (name.endsWith(".xz")) {
      return large ? xz(unclosable)
          : new XZInputStream(unclosable, NativeXz.MEMORY_LIMIT_KIB, true, BUFFERS);
    }
    if (name.endsWith(".zst")) {
      return new ZstdCompressorInputStream(unclosable);
    }
    if (name.endsWith(".gz")) {
      return new GZIPInputStream(unclosable);
    }
    if (name.endsWith(".tar")) {
      return unclosable;
    }
    throw bad(deb, "has a member " + name + " compressed in an unknown way");
  }

  /**
   * {@code in} as xz, decompressed by the machine's {@code xz} when there is one ({@link
   * NativeXz}: the stream returned waits for it when closed), else in Java; with the same memory
   * limit either way.
   */
  static InputStream xz(InputStream in) throws IOException {
    InputStream nativeXz = NativeXz.open(in);
    if (nativeXz != null) {
      return new BufferedInputStream(nativeXz, 1 << 16);
    }
    // Recycled buffers: each stream needs an 8 MiB dictionary, which would otherwise become
    // garbage per package and grow the heap of a build reading hundreds of them.
    return new XZInputStream(in, NativeXz.MEMORY_LIMIT_KIB, true, BUFFERS);
  }

  /** {@code in}, whose {@code close} leaves it open (for the caller, who reads on). */
  static InputStream unclosable(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {
        // the caller's to close
      }
    };
  }

  private static Map<String, byte[]> readControl(InputStream in) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (in) {
      TarReader tar = new TarReader(in);
      for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
        if (entry.type() == TarReader.Type.FILE) {
          files.put(stripDot(entry.name()), tar.readAll(MAX_CONTROL_FILE));
        }
      }
    }
    return files;
  }

  private static List<LayerEntry> readData(InputStream in, Path unpackTo, String deb)
      throws IOException, InvalidInputException {
    List<LayerEntry> entries = new ArrayList<>();
    Files.createDirectories(unpackTo);
    int counter = 0;
    byte[] buffer = new byte[1 << 16];
    try (in) {
      TarReader tar = new TarReader(in);
      for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
        String name = stripSlash(stripDot(entry.name()));
        if (name.isEmpty() || name.equals(".")) {
          continue;
        }
        String path;
        try {
          path = LayerEntry.normalize(name);
        } catch (IllegalArgumentException e) {
          throw bad(deb, "has an entry '" + entry.name() + "' outside the root");
        }
        int mode = entry.mode();
        int uid = (int) entry.uid();
        int gid = (int) entry.gid();
        TarReader.Type type = entry.type();
        if (type == TarReader.Type.DIRECTORY) {
          entries.add(LayerEntry.directory(path, mode, uid, gid));
        } else if (type == TarReader.Type.SYMLINK) {
          entries.add(LayerEntry.symlink(path, entry.linkName(), uid, gid));
        } else if (type == TarReader.Type.HARDLINK) {
          String target = stripDot(entry.linkName());
          target = target.startsWith("/") ? target.substring(1) : target;
          try {
            entries.add(LayerEntry.hardlink(path, target, mode, uid, gid));
          } catch (IllegalArgumentException e) {
            throw bad(deb, "has a hard link '" + name + "' pointing outside the root");
          }
        } else if (type == TarReader.Type.FILE) {
          Path file = unpackTo.resolve(Integer.toString(counter++));
          long written = copy(tar, file, buffer);
          if (written != entry.size()) {
            throw bad(deb, "is truncated at " + name);
          }
          entries.add(LayerEntry.file(path, mode, uid, gid, Content.of(file)));
        } else {
          throw bad(deb, "has a device or special file '" + name + "', which bundler does not install");
        }
      }
    }
    return entries;
  }

  /** {@code ./usr/bin} as {@code usr/bin}: names in data.tar start with {@code ./}. */
  private static String stripDot(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  private static String stripSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  /** Copies the current entry to a new file with one buffer for the whole package. */
  private static long copy(TarReader in, Path file, byte[] buffer) throws IOException {
    long written = 0;
    try (java.io.OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
        out.write(buffer, 0, n);
        written += n;
      }
    }
    return written;
  }

  /** The control file's field, or {@code null}. */
  public String field(String name) {
    return control.get(name);
  }

  /** A package that is the one the archive signed, but not one bundler can install. */
  private static InvalidInputException bad(String deb, String why) {
    return new InvalidInputException(Parameter.RUNTIME_PACKAGES, "The Debian package "
        + deb + " " + why + ". It is the file the archive's signed index lists, so "
        + "the archive ships it this way: leave out the package that needs it");
  }
}
