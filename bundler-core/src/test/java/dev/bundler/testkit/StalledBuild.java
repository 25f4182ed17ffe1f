package dev.bundler.testkit;

import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.events.BundlerEvent;
import dev.bundler.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A build in a JVM of its own that stalls while writing its image tarball, for a test to kill it
 * there with SIGKILL: what a build killed mid-write leaves behind is then on disk, as it would be.
 *
 * <p>The stall: when the build says it writes the image, a cached layer blob is replaced by a
 * FIFO, whose opening blocks the copy into the partial tarball (itself a tampered cache entry,
 * which the next build replaces). The build runs in {@code DIRECTORY} as {@link #request} says.
 */
public final class StalledBuild {
  private static final String STALLED = "stalled with a partial tarball";

  private StalledBuild() {}

  /**
   * The build: {@code demo==1.0} from {@code DIRECTORY/wheels} on scratch, into {@code
   * DIRECTORY/out} with the cache {@code DIRECTORY/cache}.
   */
  public static BundleRequest.Builder request(Path directory) {
    return BundleRequest.builder()
        .workingDirectory(directory)
        .packageSpec("demo==1.0")
        .from("scratch")
        .wheelhouse("wheels")
        .outputDirectory(directory.resolve("out"))
        .cacheDirectory(directory.resolve("cache"))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Runs the build of {@code directory} in a new JVM whose temporary directory is {@code tmpdir},
   * waits until it stalls with a partial tarball, and kills it with SIGKILL.
   */
  public static void runAndKill(Path directory, Path tmpdir) throws IOException, InterruptedException {
    Tools.require("mkfifo", "coreutils");
    Process process = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"),
        "-Djava.io.tmpdir=" + tmpdir, "-cp", System.getProperty("java.class.path"),
        StalledBuild.class.getName(), directory.toString())
        .redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.equals(STALLED)) {
          process.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
          break;
        }
      }
    } finally {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (!output.toString().contains(STALLED)) {
      throw new AssertionError("the build did not stall as planned:\n" + output);
    }
  }

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    Bundler.create(event -> {
      if (event instanceof BundlerEvent.Log log && log.message().startsWith("Writing image")) {
        stall(directory);
      }
    }).build(request(directory).build());
    System.out.println("finished without stalling");
    System.exit(1);
  }

  private static void stall(Path directory) {
    try {
      Path blob;
      try (Stream<Path> blobs = Files.list(directory.resolve("cache/layers/blobs/sha256"))) {
        blob = blobs.sorted().findFirst().orElseThrow();
      }
      Files.delete(blob);
      Tools.check(List.of("mkfifo", blob.toString()));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    Thread watcher = new Thread(() -> {
      try {
        while (true) {
          try (Stream<Path> entries = Files.list(directory.resolve("out"))) {
            if (entries.anyMatch(f -> f.getFileName().toString().startsWith(AtomicFiles.PARTIAL_PREFIX)
                && f.getFileName().toString().endsWith(".tar"))) {
              System.out.println(STALLED);
              System.out.flush();
              Thread.sleep(Long.MAX_VALUE);
            }
          } catch (IOException notYet) {
            // the output directory is made just before the tarball
          }
          Thread.sleep(10);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    watcher.setDaemon(true);
    watcher.start();
  }
}
