package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.compile.Bytecode;
import dev.bundler.compile.ContainerRoot;
import dev.bundler.compile.ContainerRunner;
import dev.bundler.compile.ContainerRuntime;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.testkit.OciImage;
import dev.bundler.testkit.Podman;
import dev.bundler.testkit.Scratch;
import dev.bundler.testkit.Tools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image ships bytecode for the Debian packages' Python and for every wheel, compiled by the
 * image's own interpreter (here, through the runtime root's loader, since no pip run needs a
 * container): Python loads it (and writes nothing) on a read-only root file system, the files are
 * unchecked-hash .pyc (PEP 552, no time in them), and compiling them again gives the same image.
 * Compiled here and in a podman container, the standard library and three large wheels give the
 * same bytes, file for file: a machine that compiles in a container (the docker CLI, another
 * architecture, a pip run) makes the same image.
 */
class BytecodeIT {
  static final Path CACHE = Path.of("target", "bytecode-it-cache").toAbsolutePath();
  @TempDir Path temp;

  @Test
  void pythonLoadsTheShippedBytecodeAndWritesNone() throws Exception {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    wheel("demo", "1.0").file("demo/__init__.py", "GREETING = 'compiled'\n")
        .file("demo/broken.py", "def broken(:\n")
        .writeTo(temp.resolve("wheels"));
    Path cache = CACHE;
    AtomicFiles.deleteRecursively(cache.resolve("bytecode")); // a kept cache has it (Scratch)
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventHandler events = event -> {
      if (event instanceof dev.bundler.events.BundlerEvent.Log line) {
        log.add(line.message());
      }
    };
    BuildResult result = Bundler.create(events).build(request(cache, "out").build());
    assertThat(log).contains("Compiling Python bytecode (the system's and 1 wheels) with the "
        + "image's interpreter, here");

    OciImage image = OciImage.read(result.image().tarball());
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < image.layerDigests().size(); i++) {
      paths.addAll(image.layerEntries(i).keySet());
    }
    String site = "home/app/app/lib/python3.11/site-packages/";
    assertThat(paths).contains(site + "demo/__pycache__/__init__.cpython-311.pyc",
        "usr/lib/python3.11/__pycache__/os.cpython-311.pyc",
        "usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc");
    assertThat(paths).as("a file pip would not compile either")
        .doesNotContain(site + "demo/__pycache__/broken.cpython-311.pyc");
    byte[] pyc = image.layerEntries(appLayer(image))
        .get(site + "demo/__pycache__/__init__.cpython-311.pyc").content();
    assertThat(ByteBuffer.wrap(pyc, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
        .as("PEP 552 flags: hash-based, unchecked").isEqualTo(0b01);

    Podman podman = Podman.create(Path.of("target", "podman").toAbsolutePath());
    List<String> verbose;
    try {
      verbose = podman.run(result.image().tarball(), List.of("--read-only"),
          List.of("/home/app/app/bin/python", "-v", "-c",
              "import demo, json.decoder, email.parser; print(demo.GREETING)")).lines().toList();
    } finally {
      podman.discardImages();
    }
    assertThat(verbose).contains("compiled");
    assertThat(verbose).anyMatch(line -> line.startsWith("# code object from '/" + site
        + "demo/__pycache__/__init__.cpython-311.pyc'"));
    assertThat(verbose).anyMatch(line -> line.startsWith(
        "# code object from '/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc'"));
    assertThat(verbose).as("Python compiled nothing and tried to write nothing")
        .noneMatch(line -> line.contains("could not create") || line.startsWith("# wrote"));

    bothRoutesCompileTheSameBytes(cache);

    AtomicFiles.deleteRecursively(cache.resolve("bytecode"));
    BuildResult again = Bundler.create(EventHandler.NONE).build(request(cache, "again")
        .compile(new CompileSettings(null, List.of(), null, null, "/nonexistent/podman", List.of(),
            List.of()))
        .build());
    assertThat(again.image().imageDigest())
        .as("bytecode compiled again, with no container runtime at hand, is the same")
        .isEqualTo(result.image().imageDigest());
  }

  @AfterEach
  void discard() {
    Scratch.discard(CACHE);
  }

  /** The runtime root's stdlib and three wheels of the corpus, compiled here and in podman. */
  private void bothRoutesCompileTheSameBytes(Path cache) throws Exception {
    List<Path> trees;
    try (var roots = Files.list(cache.resolve("roots"))) {
      trees = roots.map(root -> root.resolve("tree")).filter(Files::isDirectory).toList();
    }
    assertThat(trees).as("the runtime's root, laid out for the bytecode run").hasSize(1);
    Path tree = trees.get(0);
    List<Bytecode.Source> system = new ArrayList<>();
    try (var files = Files.walk(tree.resolve("usr/lib/python3.11"))) {
      files.filter(f -> f.toString().endsWith(".py") && Files.isRegularFile(f,
          java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().forEach(f ->
          system.add(new Bytecode.Source(f, "/" + tree.relativize(f))));
    }
    Path wheels = Files.createDirectories(temp.resolve("routes-wheels"));
    for (String wheel : List.of("trixie/Django-4.2.28-py3-none-any.whl",
        "pip-23.0.1-py3-none-any.whl", "setuptools-66.1.1-py3-none-any.whl")) {
      Path file = dev.bundler.testkit.Corpus.directory().resolve(wheel);
      Files.copy(file, wheels.resolve(file.getFileName()));
    }
    Bytecode.Request request = new Bytecode.Request(system,
        "/home/app/app/lib/python3.11/site-packages");
    Path here = Files.createDirectories(temp.resolve("here/out"));
    assertThat(Bytecode.compileHere(tree, "/usr/bin/python3.11", request, wheels,
        temp.resolve("here"), here, EventHandler.NONE)).as("compiled here").isTrue();
    Path contained = Files.createDirectories(temp.resolve("container/out"));
    ContainerRunner runner = ContainerRunner.create(ContainerRuntime.find("podman", System.getenv()),
        cache.resolve("podman"), Files.createDirectories(temp.resolve("container/scratch")),
        List.of(), EventHandler.NONE);
    Bytecode.compile(runner, new ContainerRoot.Directory(tree), "/usr/bin/python3.11", request,
        wheels, temp.resolve("container"), contained, null);
    java.util.Map<String, String> hereFiles = digests(here);
    assertThat(hereFiles.size()).as("stdlib and wheel .pyc files").isGreaterThan(2000);
    assertThat(hereFiles).isEqualTo(digests(contained));
  }

  /** Every file under {@code root} by relative path, with its SHA-256. */
  private static java.util.Map<String, String> digests(Path root) throws Exception {
    java.util.Map<String, String> found = new java.util.TreeMap<>();
    try (var files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        found.put(root.relativize(file).toString(), dev.bundler.layer.Digests.sha256Hex(file));
      }
    }
    return found;
  }

  private BundleRequest.Builder request(Path cache, String output) {
    return BundleRequest.builder()
        .workingDirectory(temp)
        .packageSpec("demo==1.0")
        .wheelhouse("wheels")
        .outputDirectory(temp.resolve(output))
        .cacheDirectory(cache)
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static int appLayer(OciImage image) throws Exception {
    for (int i = image.layerDigests().size() - 1; i >= 0; i--) {
      if (image.layerEntries(i).keySet().stream().anyMatch(p -> p.contains("demo/__pycache__"))) {
        return i;
      }
    }
    throw new AssertionError("no layer holds the application's bytecode");
  }
}
