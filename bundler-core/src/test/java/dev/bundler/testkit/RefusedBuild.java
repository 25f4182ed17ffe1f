package dev.bundler.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The promise of issue 8 for a build that must fail, checked all at once: the failure is of the
 * expected type (a user's error, or the environment's) naming the parameter and the file, the
 * output directory holds no image, nothing is written outside the output and cache directories,
 * and no file under them holds the secret the build was given.
 */
public final class RefusedBuild {
  private RefusedBuild() {}

  /**
   * Builds {@code request}, whose output and cache directories are {@code directory/out} and
   * {@code directory/cache}, and checks the promise; returns the failure.
   *
   * @param parameter the parameter the failure names ({@link InvalidInputException#parameter()},
   *     or a reference in the message of any other failure)
   * @param secret a secret the request carries, which no output or cache file may hold
   * @param checkTmpdir whether to check that the JVM's temporary directory gains no entry (only
   *     where it is this test run's own, as in the hermetic tier)
   * @param named what the message must contain (the file, the value, the fix)
   */
  public static BundlerException check(Path directory, BundleRequest.Builder request,
      Class<? extends BundlerException> type, Parameter parameter, String secret, boolean checkTmpdir,
      String... named) throws Exception {
    Path output = directory.resolve("out");
    Path cache = directory.resolve("cache");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Map<String, String> outside = tree(directory, Set.of(output, cache), Integer.MAX_VALUE);
    Map<String, String> tmpdir = tree(tmp, Set.of(directory), 1);

    Throwable thrown = catchThrowable(() -> Bundler.create(EventHandler.NONE).build(request.build()));

    assertThat(thrown).isInstanceOf(type);
    BundlerException failure = (BundlerException) thrown;
    if (failure instanceof InvalidInputException invalid) {
      assertThat(invalid.parameter()).contains(parameter);
    } else {
      assertThat(Parameter.referencedIn(failure.getMessage())).contains(parameter);
    }
    for (String name : named) {
      assertThat(failure.getMessage()).contains(name);
    }
    assertThat(failure.getMessage()).doesNotContain(secret);
    assertThat(Files.isRegularFile(output) || !tree(output, Set.of(), Integer.MAX_VALUE).isEmpty())
        .as("the output directory holds something: " + tree(output, Set.of(), Integer.MAX_VALUE))
        .isFalse();
    assertThat(tree(directory, Set.of(output, cache), Integer.MAX_VALUE))
        .as("written outside the output and cache").isEqualTo(outside);
    if (checkTmpdir) {
      assertThat(tree(tmp, Set.of(directory), 1)).as("written in the temporary directory")
          .isEqualTo(tmpdir);
    }
    assertThat(filesHolding(secret, output, cache)).as("files holding the secret").isEmpty();
    return failure;
  }

  /** Every path under {@code root} (to {@code depth}) with its type, and a file's size and mtime. */
  private static Map<String, String> tree(Path root, Set<Path> excluded, int depth) throws Exception {
    Map<String, String> tree = new TreeMap<>();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return tree;
    }
    try (Stream<Path> paths = Files.walk(root, depth)) {
      for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
        if (excluded.stream().anyMatch(path::startsWith)) {
          continue;
        }
        BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        tree.put(root.relativize(path).toString(), attributes.isDirectory() ? "directory"
            : attributes.size() + " bytes, " + attributes.lastModifiedTime());
      }
    }
    return tree;
  }

  private static List<Path> filesHolding(String secret, Path... roots) throws Exception {
    List<Path> found = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.toList()) {
          if (file.toString().contains(secret) || Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
              && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret)) {
            found.add(file);
          }
        }
      }
    }
    return found;
  }
}
