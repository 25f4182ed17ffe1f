package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.io.Redact;
import dev.bundler.Parameter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a cached {@code Packages} file ({@code .xz}, {@code .gz} or plain) into packages. */
final class PackagesParser {
  private PackagesParser() {}

  /**
   * The packages of a cached {@code Packages} file, hashed as it is decompressed and parsed:
   * nothing is returned unless the whole file is the one the signed Release lists.
   */
  static List<BinaryPackage> parse(Path file, Downloader.Blob blob, String name,
      AptSource source, String architecture) throws BundlerException, IOException {
    List<BinaryPackage> packages = new ArrayList<>();
    try (HashingInput hashed = HashingInput.open(file)) {
      // Closed before the hash is checked (xz's feeding thread is done with the file then),
      // leaving the file open: the check reads what the parse left.
      try (InputStream in = decompress(new BufferedInputStream(DebArchive.unclosable(hashed),
          1 << 16), name)) {
        Deb822.forEach(in, BinaryPackage.INDEX_FIELDS, paragraph -> {
          String arch = paragraph.get("Architecture", architecture);
          if (arch.equals(architecture) || arch.equals("all")) {
            packages.add(new BinaryPackage(paragraph, source, architecture));
          }
        });
      } catch (java.nio.file.FileSystemException diskSide) {
        throw diskSide;
      } catch (IOException | RuntimeException e) {
        hashed.verify(blob.sha256());
        throw new EnvironmentException("The " + blob.what() + " at "
            + Redact.urls(blob.uri().toString()) + " is the file its signed Release lists, but "
            + "it cannot be read: " + e.getMessage() + ". The archive publishes a broken index; "
            + "use another mirror (" + Parameter.DEBIAN_MIRROR.named() + ") or suite", e);
      }
      hashed.verify(blob.sha256());
    }
    return packages;
  }

  /** {@code in}, the file {@code name}, uncompressed as its name says. */
  private static InputStream decompress(InputStream in, String name) throws IOException {
    if (name.endsWith(".xz")) {
      return DebArchive.xz(in);
    }
    return name.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }
}
