package dev.bundler.layer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a regular file in a layer, opened only when the layer is written so that large
 * layers never sit in memory.
 */
public interface Content {

  /** Exact number of bytes {@link #open()} yields. */
  long size();

  /** Opens a fresh stream over the bytes; the caller closes it. */
  InputStream open() throws IOException;

  /**
   * The file on disk holding exactly these bytes, if the content is one (then a root file system
   * can link it instead of copying it), else {@code null}.
   */
  default Path file() {
    return null;
  }

  /** Content held in memory (small generated files). */
  static Content of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new Content() {
      @Override
      public long size() {
        return copy.length;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(copy);
      }
    };
  }

  /** Content of a file on disk, read when the layer is written. */
  static Content of(Path file) throws IOException {
    long size = Files.size(file);
    return new Content() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override
      public Path file() {
        return file;
      }
    };
  }

  /** Opens a stream; may fail with an I/O error. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  /** Content of known size read from {@code opener} each time the layer is written. */
  static Content lazy(long size, Opener opener) {
    return new Content() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() throws IOException {
        return opener.open();
      }
    };
  }
}
