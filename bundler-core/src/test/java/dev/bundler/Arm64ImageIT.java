package dev.bundler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.testkit.Corpus;
import dev.bundler.testkit.OciImage;
import dev.bundler.testkit.Scratch;
import dev.bundler.testkit.Tools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -Dbundler.architecture=arm64} on this amd64 machine: an image from bookworm's arm64
 * {@code .deb}s and a wheelhouse of pure-Python wheels (Django 3.2.25 and its dependencies, built
 * by the host's pip from the corpus). Every ELF file of every layer is a 64-bit little-endian
 * aarch64 one, the config says arm64, and, the layers unpacked, the image's own Python runs
 * Django under {@code qemu-aarch64-static} (binfmt is not mounted here, so qemu is called by
 * hand with the root file system as its library prefix). The bytecode was compiled by the
 * image's own arm64 interpreter, emulated in the container (the cached bytecode is removed
 * first), and the emulated Python loads it. pip cannot run emulated: sources to build fail the
 * build, find-links of wheels alone make the same image without pip.
 */
class Arm64ImageIT {
  static final Path WORK = Path.of("target", "arm64-image-it").toAbsolutePath();
  static final Path CACHE = Path.of("target", "arm64-image-it-cache").toAbsolutePath();
  static final String SITE = "/home/app/app/lib/python3.11/site-packages";
  static final int EM_AARCH64 = 183;
  static BuildResult result;
  static OciImage image;
  static Path rootfs;
  static List<String> log = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    assertThat(dev.bundler.compile.Emulation.machineArchitecture())
        .as("this test builds an arm64 image on an amd64 machine").isEqualTo("amd64");
    Tools.require("qemu-aarch64-static", "qemu-user-static");
    Tools.require("python3", "python3 python3-pip");
    AtomicFiles.deleteRecursively(WORK);
    AtomicFiles.deleteRecursively(CACHE.resolve("bytecode"));
    Path wheels = Files.createDirectories(WORK.resolve("wheels"));
    Tools.check(List.of("/usr/bin/python3", "-m", "pip", "wheel", "-q", "--no-index",
        "--find-links", Corpus.directory().toString(), "--wheel-dir", wheels.toString(), "Django==3.2.25"));
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line) {
        log.add(line.level() + " " + line.message());
      }
    };
    result = Bundler.create(events).build(request(WORK.resolve("out")).wheelhouse("wheels").build());
    image = OciImage.read(result.image().tarball());
    rootfs = Files.createDirectories(WORK.resolve("rootfs"));
    for (String digest : image.layerDigests()) {
      Path blob = WORK.resolve("layer.tar.gz");
      Files.write(blob, image.blob(digest));
      Tools.check(List.of("tar", "-xzf", blob.toString(), "-C", rootfs.toString()));
      Files.delete(blob);
    }
  }

  @AfterAll
  static void discard() {
    Scratch.discard(WORK, CACHE);
  }

  @Test
  void everyElfFileInTheLayersIsAarch64() throws Exception {
    Map<String, String> notAarch64 = new TreeMap<>();
    List<String> elf = new ArrayList<>();
    for (int i = 0; i < image.layerDigests().size(); i++) {
      for (Map.Entry<String, OciImage.Entry> entry : image.layerEntries(i).entrySet()) {
        byte[] bytes = entry.getValue().content();
        if (bytes.length < 20 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L'
            || bytes[3] != 'F') {
          continue;
        }
        elf.add(entry.getKey());
        int machine = ByteBuffer.wrap(bytes, 18, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        if (bytes[4] != 2 || bytes[5] != 1 || machine != EM_AARCH64) {
          notAarch64.put(entry.getKey(), "class " + bytes[4] + ", data " + bytes[5]
              + ", machine " + machine);
        }
      }
    }
    assertThat(elf).hasSizeGreaterThan(200)
        .contains("usr/bin/python3.11", "usr/sbin/nginx", "usr/bin/uwsgi-core",
            "usr/lib/aarch64-linux-gnu/libc.so.6", "usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");
    assertThat(notAarch64).as("ELF files that are not 64-bit little-endian aarch64").isEmpty();
    assertThat(image.config().get("architecture").asText()).isEqualTo("arm64");
    assertThat(image.config().get("os").asText()).isEqualTo("linux");
  }

  @Test
  void theImagesPythonRunsDjangoUnderQemu() throws Exception {
    String out = qemuPython("-c", "import platform, ssl, sqlite3, django; "
        + "print(platform.machine(), django.__version__, ssl.OPENSSL_VERSION.split()[0])");
    assertThat(out.strip()).isEqualTo("aarch64 3.2.25 OpenSSL");
    assertThat(qemuPython(rootfs + "/home/app/app/bin/django-admin", "--version").strip())
        .as("the console script bundler wrote").isEqualTo("3.2.25");
  }

  @Test
  void theBytecodeTheImagesInterpreterCompiledUnderEmulationIsLoaded() throws Exception {
    assertThat(log).anyMatch(line -> line.startsWith("INFO Compiling Python bytecode")
        && line.contains("the image's arm64 interpreter run by "));
    String django = SITE + "/django/__pycache__/__init__.cpython-311.pyc";
    assertThat(image.allEntries()).containsKeys(django.substring(1),
        "usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc");
    List<String> verbose = qemuPython("-v", "-c", "import django, json.decoder").lines().toList();
    assertThat(verbose).anyMatch(line -> line.startsWith("# code object from '" + django + "'"));
    assertThat(verbose).anyMatch(line -> line.startsWith("# code object from '" + rootfs
        + "/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc'"));
    assertThat(verbose).as("no module was compiled from its source")
        .noneMatch(line -> line.matches("# code object from '.*\\.py'"));
  }

  @Test
  void pipCannotRunSoSourcesToBuildFailNamingTheParameterAndTheFix() throws Exception {
    Path output = WORK.resolve("compile-out");
    assertThatThrownBy(() -> build(List.of(Corpus.directory().toString()), output))
        .as("the corpus offers Django as an sdist: pip would have to build it")
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(Parameter.ARCHITECTURE.withValue("arm64") + " cannot build its "
            + "wheelhouse on this amd64 machine")
        .hasMessageContaining(Parameter.WHEELHOUSE.withValue("DIR"))
        .satisfies(e -> assertThat(((InvalidInputException) e).parameter())
            .contains(Parameter.ARCHITECTURE));
    assertThat(output).doesNotExist();

    BuildResult fromWheels = build(List.of(WORK.resolve("wheels").toString()),
        WORK.resolve("find-links-out"));
    assertThat(fromWheels.image().imageDigest())
        .as("find-links of wheels alone make the wheelhouse without pip: the same image")
        .isEqualTo(result.image().imageDigest());
  }

  private static BuildResult build(List<String> findLinks, Path output) throws Exception {
    return Bundler.create(EventHandler.NONE).build(request(output)
        .compile(new CompileSettings(null, findLinks, null, null, null, List.of(), List.of()))
        .build());
  }

  private static BundleRequest.Builder request(Path output) {
    return BundleRequest.builder()
        .workingDirectory(WORK)
        .packageSpec("Django==3.2.25")
        .architecture("arm64")
        .outputDirectory(output)
        .cacheDirectory(CACHE)
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * The image's {@code python3.11} under qemu: {@code -L} makes the image's root the prefix of
   * every absolute path the program opens (its loader, libraries, the virtualenv's
   * site-packages), falling back to the host's where the image has no such file.
   */
  private static String qemuPython(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("env", "-i", "PYTHONPATH=" + SITE,
        "PYTHONDONTWRITEBYTECODE=1", "qemu-aarch64-static", "-L", rootfs.toString(),
        rootfs + "/usr/bin/python3.11"));
    command.addAll(List.of(arguments));
    return Tools.check(command);
  }
}
