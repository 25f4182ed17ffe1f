package dev.bundler.runner;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A project's own templates directory ({@link dev.bundler.Parameter#TEMPLATES}): untrusted input
 * whose files end up world-readable in the image, so only the directory's own regular files are
 * read.
 */
final class TemplateDirectory {
  /** The largest project template bundler reads. */
  static final int MAX_BYTES = 1 << 20;

  private TemplateDirectory() {}

  /**
   * The files of a project's templates directory, sorted, each named as a shipped template and
   * each a regular file of that directory: a symbolic link (even to another file of the
   * directory), a hard link, a directory or a device is refused, as is a file larger than {@value
   * #MAX_BYTES} bytes, so that nothing from elsewhere on the machine (a link to {@code
   * /etc/shadow}) can be shipped in an image.
   *
   * @throws InvalidInputException naming the file and the fix
   */
  static List<Path> files(Path directory) throws InvalidInputException, IOException {
    Path root = directory.toRealPath();
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> sorted = files.sorted().toList();
      for (Path file : sorted) {
        String name = file.getFileName().toString();
        if (!RunnerFiles.TEMPLATES.contains(name)) {
          throw refused(directory, name + ", which is not a template bundler uses: the names are "
              + String.join(", ", RunnerFiles.TEMPLATES));
        }
        BasicFileAttributes attributes =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
          throw refused(directory, name + " as a symbolic link to " + Files.readSymbolicLink(file)
              + ": bundler ships only regular files of the templates directory; copy the file "
              + "there instead of linking to it");
        }
        if (!attributes.isRegularFile()) {
          throw refused(directory, name + ", which is not a regular file: put your own " + name
              + " there as a file");
        }
        int links = (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links > 1) {
          throw refused(directory, name + " with " + links + " hard links: bundler ships only "
              + "files that are the templates directory's own; copy the file there instead of "
              + "linking it");
        }
        if (!file.toRealPath().startsWith(root)) {
          throw refused(directory, name + ", which resolves outside it, to " + file.toRealPath());
        }
        if (attributes.size() > MAX_BYTES) {
          throw refused(directory, name + " of " + attributes.size() + " bytes: a template is at "
              + "most " + MAX_BYTES + " bytes");
        }
      }
      return sorted;
    }
  }

  private static InvalidInputException refused(Path directory, String what) {
    return new InvalidInputException(Parameter.TEMPLATES, "The templates directory " + directory
        + " (" + Parameter.TEMPLATES.named() + ") holds " + what);
  }

  /** Reads a checked template without following a link that replaced it since the check. */
  static byte[] read(Path file) throws InvalidInputException, IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file,
        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        InputStream in = Channels.newInputStream(channel)) {
      byte[] content = in.readNBytes(MAX_BYTES + 1);
      if (content.length > MAX_BYTES) {
        throw new InvalidInputException(Parameter.TEMPLATES, "The template " + file
            + " is larger than " + MAX_BYTES + " bytes");
      }
      return content;
    } catch (FileSystemException e) {
      throw new InvalidInputException(Parameter.TEMPLATES, "The template " + file + " cannot be "
          + "read as a regular file (" + e.getReason() + "): put your own file there", e);
    }
  }
}
