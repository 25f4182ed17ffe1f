package dev.bundler.compile;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * An unpacked root's own program run on this machine, outside any container: its dynamic loader
 * ({@code ld.so}, run as a program) loads the program and every library from the root, by an
 * explicit library path and without this machine's loader cache ({@code --inhibit-cache}). What
 * runs is the root's own code with the root's own C library; only the kernel is this machine's.
 *
 * <p>The loader and the program are taken only as regular files inside the root, never through
 * a symbolic link (a root's {@code /lib64/ld-linux-x86-64.so.2} links to an absolute path, which
 * here would be this machine's). The program finds its own files by its path: Python looks for
 * its library next to {@code ../lib/python3.X} of its executable, so it uses the root's.
 */
final class HereInterpreter {
  private HereInterpreter() {}

  /**
   * The command that runs {@code program} (an absolute path in the root, {@code
   * /usr/bin/python3.11}) of {@code tree}, a root of the Debian {@code architecture} this machine
   * runs; {@code null} if the root lacks the loader or the program as regular files.
   */
  static List<String> command(Path tree, String program, String architecture) {
    String[] loader = switch (architecture) {
      case "amd64" -> new String[] {"x86_64-linux-gnu", "ld-linux-x86-64.so.2"};
      case "arm64" -> new String[] {"aarch64-linux-gnu", "ld-linux-aarch64.so.1"};
      default -> null;
    };
    if (loader == null || !program.startsWith("/") || program.contains("/../")) {
      return null;
    }
    Path libraries = tree.resolve("usr/lib").resolve(loader[0]);
    Path ld = libraries.resolve(loader[1]);
    Path executable = tree.resolve(program.substring(1));
    if (!regularFileWithin(tree, ld) || !regularFileWithin(tree, executable)) {
      return null;
    }
    return List.of(ld.toString(), "--inhibit-cache", "--library-path",
        libraries + ":" + tree.resolve("usr/lib"), executable.toString());
  }

  /** Whether {@code file} is a regular file and no directory on its way from {@code tree} a link. */
  private static boolean regularFileWithin(Path tree, Path file) {
    Path relative = tree.relativize(file);
    Path at = tree;
    for (Path name : relative) {
      at = at.resolve(name);
      if (Files.isSymbolicLink(at)) {
        return false;
      }
    }
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }
}
