package dev.bundler.layer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One path in a layer: a directory, a regular file, a symbolic link or a hard link, with its
 * exact mode (permission bits plus setuid, setgid and sticky) and numeric owner.
 *
 * <p>Paths are relative to the image root, normalized: no leading {@code /} or {@code ./}, no
 * {@code .} or {@code ..} component, no trailing slash, no empty component. A hard link's target is
 * another path of the same layer, written the same way; a symbolic link's target is kept verbatim.
 */
public record LayerEntry(
    String path, Type type, int mode, int uid, int gid, String linkTarget, Content content) {

  /** Kind of file system object. */
  public enum Type {
    DIRECTORY,
    FILE,
    SYMLINK,
    HARDLINK
  }

  /** Owner {@code root:root}. */
  public static final int ROOT = 0;

  public LayerEntry {
    path = normalize(path);
    Objects.requireNonNull(type, "type");
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of " + path);
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative owner of " + path);
    }
    switch (type) {
      case FILE -> {
        Objects.requireNonNull(content, "content of " + path);
        linkTarget = null;
      }
      case SYMLINK -> {
        if (linkTarget == null || linkTarget.isEmpty()) {
          throw new IllegalArgumentException("symlink " + path + " has no target");
        }
        content = null;
      }
      case HARDLINK -> {
        linkTarget = normalize(linkTarget);
        content = null;
      }
      case DIRECTORY -> {
        linkTarget = null;
        content = null;
      }
    }
  }

  public static LayerEntry directory(String path, int mode, int uid, int gid) {
    return new LayerEntry(path, Type.DIRECTORY, mode, uid, gid, null, null);
  }

  public static LayerEntry file(String path, int mode, int uid, int gid, Content content) {
    return new LayerEntry(path, Type.FILE, mode, uid, gid, null, content);
  }

  /** A root-owned file with the given text, UTF-8 encoded. */
  public static LayerEntry text(String path, int mode, String text) {
    return file(path, mode, ROOT, ROOT, Content.of(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static LayerEntry symlink(String path, String target) {
    return new LayerEntry(path, Type.SYMLINK, 0777, ROOT, ROOT, target, null);
  }

  public static LayerEntry symlink(String path, String target, int uid, int gid) {
    return new LayerEntry(path, Type.SYMLINK, 0777, uid, gid, target, null);
  }

  /** A hard link at {@code path} to the file at {@code target}, another path of the same layer. */
  public static LayerEntry hardlink(String path, String target, int mode, int uid, int gid) {
    return new LayerEntry(path, Type.HARDLINK, mode, uid, gid, target, null);
  }

  /** Size in bytes of a regular file's content, zero for anything else. */
  public long size() {
    return content == null ? 0 : content.size();
  }

  /**
   * Normalizes a path to the form layers use ({@code usr/bin/python3}), refusing any that could
   * escape the root.
   *
   * @throws IllegalArgumentException on {@code ..}, an empty path or a NUL character
   */
  public static String normalize(String path) {
    Objects.requireNonNull(path, "path");
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains NUL: " + path);
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new IllegalArgumentException("path escapes the root: " + path);
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part);
    }
    if (out.length() == 0) {
      throw new IllegalArgumentException("empty path: '" + path + "'");
    }
    return out.toString();
  }
}
