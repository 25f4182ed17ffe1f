package dev.bundler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files and directories a request names, resolved against its working directory (the
 * project's) and checked, each failure naming its parameter.
 */
final class RequestPaths {
  private final Path workingDirectory;

  RequestPaths(Path workingDirectory) {
    this.workingDirectory = workingDirectory;
  }

  private Path resolve(Path path) {
    return workingDirectory.resolve(path).toAbsolutePath().normalize();
  }

  /** The wheelhouse, which must be a directory; {@code null} for none. */
  Path wheelhouse(String value) throws InvalidInputException {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path wheels = resolve(Path.of(value));
    if (!Files.isDirectory(wheels)) {
      throw new InvalidInputException(Parameter.WHEELHOUSE, "The wheelhouse " + wheels + " is not "
          + "a directory: set " + Parameter.WHEELHOUSE + " to a directory of .whl files");
    }
    return wheels;
  }

  /**
   * A directory bundler writes, made if missing: refused when it is a file or lies under one.
   */
  Path directory(Path value, Parameter parameter, String what) throws InvalidInputException {
    Path directory = resolve(value);
    for (Path path = directory; path != null; path = path.getParent()) {
      if (Files.exists(path)) {
        if (!Files.isDirectory(path)) {
          throw new InvalidInputException(parameter, what + " " + directory
              + (path.equals(directory) ? " is a file" : " lies under the file " + path)
              + ", not a directory: set " + parameter + " to a directory (made if missing)");
        }
        break;
      }
    }
    return directory;
  }

  /** The lockfile's path, whether or not it exists; {@code null} for none. */
  Path lockFile(Path value) {
    return value == null ? null : resolve(value);
  }

  /** The project's templates directory, checked; {@code null} for none. */
  Path templates(String value) throws InvalidInputException {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path directory = resolve(Path.of(value.strip()));
    if (!Files.isDirectory(directory)) {
      throw new InvalidInputException(Parameter.TEMPLATES, "The templates directory " + directory
          + " does not exist: set " + Parameter.TEMPLATES + " to a directory holding your own "
          + "nginx.conf, uwsgi.ini, supervisord.conf, settings.ini or entrypoint.sh");
    }
    try {
      dev.bundler.runner.RunnerFiles.overrides(directory);
    } catch (IOException e) {
      throw new InvalidInputException(Parameter.TEMPLATES, "The templates directory "
          + directory + " cannot be read: " + e.getMessage(), e);
    }
    return directory;
  }

  /** The compile settings with their local directories and files resolved and checked. */
  CompileSettings compile(CompileSettings compile) throws InvalidInputException {
    List<String> links = new ArrayList<>();
    for (String link : compile.findLinks()) {
      if (link.startsWith("http://") || link.startsWith("https://")) {
        links.add(link);
        continue;
      }
      Path directory = resolve(Path.of(link));
      if (!Files.isDirectory(directory)) {
        throw new InvalidInputException(Parameter.FIND_LINKS, "The find-links directory "
            + directory + " does not exist: fix " + Parameter.FIND_LINKS + " (directories or "
            + "URLs, comma-separated)");
      }
      links.add(directory.toString());
    }
    return new CompileSettings(compile.index(), links, file(compile.pipConf(), Parameter.PIP_CONF),
        file(compile.constraints(), Parameter.CONSTRAINTS), compile.containerRuntime(),
        compile.containerArgs(), compile.buildPackages());
  }

  private Path file(Path value, Parameter parameter) throws InvalidInputException {
    if (value == null) {
      return null;
    }
    Path file = resolve(value);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(parameter, "The file " + file + " does not exist: fix "
          + parameter);
    }
    return file;
  }
}
