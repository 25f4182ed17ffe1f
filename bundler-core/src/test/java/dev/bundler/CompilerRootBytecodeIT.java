package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.testkit.Corpus;
import dev.bundler.testkit.Scratch;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An application change after a cold build: pip built MarkupSafe from its sdist on the
 * compiler's root (and compiled the system's bytecode in that run); the new application wheel's
 * bytecode is then compiled here by the compiler root's interpreter, the image's own, and no
 * runtime root is laid out. The same image comes out when every unit is compiled again on the
 * runtime's root instead, the compiler's hidden: the root a unit is compiled on, and the route
 * (a pip run in a container, or here), do not change its bytes.
 */
class CompilerRootBytecodeIT {
  static final Path WORK = Path.of("target", "compiler-root-bytecode-it").toAbsolutePath();

  @AfterEach
  void discard() {
    Scratch.discard(WORK);
  }

  @Test
  void anApplicationChangeCompilesOnTheCompilersRootAndGivesTheSameImage() throws Exception {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    AtomicFiles.deleteRecursively(WORK);
    Path cache = WORK.resolve("cache");
    Path links = WORK.resolve("links");
    wheel("rootapp", "1.0").file("rootapp/__init__.py", "VERSION = 1\n")
        .requires("MarkupSafe==2.1.2").writeTo(links);
    build("rootapp==1.0", links, cache, "out-1", new CopyOnWriteArrayList<>());
    assertThat(roots(cache)).as("the compiler's root only").hasSize(1);

    wheel("rootapp", "1.1").file("rootapp/__init__.py", "VERSION = 2\n")
        .requires("MarkupSafe==2.1.2").writeTo(links);
    List<String> log = new CopyOnWriteArrayList<>();
    BuildResult changed = build("rootapp==1.1", links, cache, "out-2", log);
    assertThat(log).contains("Compiling Python bytecode (1 wheels) with the image's interpreter, "
        + "here");
    assertThat(log).noneMatch(line -> line.startsWith("Laid out the root file system"));
    assertThat(roots(cache)).as("no runtime root laid out").hasSize(1);

    Path compiler = roots(cache).get(0);
    Files.move(compiler, WORK.resolve("hidden-root"));
    AtomicFiles.deleteRecursively(cache.resolve("bytecode"));
    List<String> again = new CopyOnWriteArrayList<>();
    BuildResult onRuntime = build("rootapp==1.1", links, cache, "out-3", again);
    assertThat(again).anyMatch(line -> line.startsWith("Laid out the root file system of the "
        + "runtime"));
    assertThat(onRuntime.image().imageDigest())
        .as("every unit compiled again on the runtime's root, here")
        .isEqualTo(changed.image().imageDigest());
  }

  private static BuildResult build(String spec, Path links, Path cache, String output,
      List<String> log) throws Exception {
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line) {
        log.add(line.message());
      }
    };
    return Bundler.create(events).build(BundleRequest.builder()
        .workingDirectory(WORK)
        .packageSpec(spec)
        .compile(new CompileSettings(null, List.of(Corpus.directory().toString(), links.toString()),
            null, null, null, List.of(), List.of()))
        .outputDirectory(WORK.resolve(output))
        .cacheDirectory(cache)
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build());
  }

  private static List<Path> roots(Path cache) throws Exception {
    try (Stream<Path> roots = Files.list(cache.resolve("roots"))) {
      return roots.filter(root -> Files.isDirectory(root.resolve("tree"))).toList();
    }
  }
}
