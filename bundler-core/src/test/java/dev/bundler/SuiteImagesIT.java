package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.testkit.Corpus;
import dev.bundler.testkit.Podman;
import dev.bundler.testkit.Scratch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An image per supported Python and its Debian suite, each built with the compile stage from the
 * shared corpus and run in podman: the suite's own Python runs Django's {@code django-admin},
 * and MarkupSafe's C extension, compiled from its sdist by {@code pip wheel} in the suite's
 * compiler, loads. Django 3.2 does not support Python 3.13: trixie gets Django 4.2 and the
 * current build tools from the corpus's {@code trixie/} folder (before the top folder, which has
 * MarkupSafe's sdist: pip takes the newest of both).
 *
 * <p>The wheels bundler selects follow the suite's glibc: a wheel for the glibc the image reports
 * is taken, one for the next glibc refused.
 *
 * <p>Each suite has a cache of its own (they share no package), and each run compiles: its
 * cache, work directory and images are discarded when it is done ({@link Scratch}).
 */
class SuiteImagesIT {
  static final Path CACHE = Path.of("target", "suite-images-it-cache").toAbsolutePath();
  static final Path WORK = Path.of("target", "suite-images-it").toAbsolutePath();
  static Podman podman;

  @BeforeAll
  static void prepare() throws Exception {
    for (String suite : List.of("bullseye", "bookworm", "trixie")) {
      AtomicFiles.deleteRecursively(CACHE.resolve(suite).resolve("wheelhouses"));
      AtomicFiles.deleteRecursively(CACHE.resolve(suite).resolve("python"));
    }
    AtomicFiles.deleteRecursively(WORK);
    podman = Podman.create(Path.of("target", "podman").toAbsolutePath());
  }

  @AfterEach
  void discard() throws Exception {
    podman.discardImages();
    Scratch.discard(CACHE, WORK);
  }

  @ParameterizedTest(name = "Python {0} on {1}")
  @CsvSource({
      "3.9,  bullseye, 3.2.25, ''",
      "3.11, bookworm, 3.2.25, ''",
      "3.13, trixie,   4.2.28, trixie"})
  void theSuitesPythonRunsDjangoAndACompiledExtension(String python, String suite, String django,
      String corpusFolder) throws Exception {
    Path corpus = Corpus.directory();
    Path links = WORK.resolve("links-" + suite);
    wheel("suiteapp", "1.0").file("suiteapp/__init__.py", "")
        .requires("Django==" + django).requires("MarkupSafe==2.1.2")
        .writeTo(links);
    List<String> findLinks = corpusFolder.isEmpty()
        ? List.of(corpus.toString(), links.toString())
        : List.of(corpus.resolve(corpusFolder).toString(), corpus.toString(), links.toString());
    List<String> log = new CopyOnWriteArrayList<>();
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line) {
        log.add(line.message());
      }
    };
    BuildResult result = Bundler.create(events).build(BundleRequest.builder()
        .workingDirectory(WORK)
        .packageSpec("suiteapp==1.0")
        .python(python)
        .compile(new CompileSettings(null, findLinks, null, null, null, List.of(), List.of()))
        .outputDirectory(WORK.resolve("out-" + suite))
        .cacheDirectory(CACHE.resolve(suite))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build());

    assertThat(log).anyMatch(line -> line.startsWith(
        "Building the wheelhouse of suiteapp==1.0 with pip in a container"));
    Path tarball = result.image().tarball();
    assertThat(podman.run(tarball, List.of("sh", "-c", ". /etc/os-release; echo $VERSION_CODENAME")))
        .contains(suite);
    assertThat(podman.run(tarball, List.of("django-admin", "--version")).strip())
        .isEqualTo(django);
    String abi = "cpython-" + python.replace(".", "") + "-x86_64-linux-gnu";
    String out = podman.run(tarball, List.of("python", "-c", String.join("; ",
        "import sys, markupsafe, markupsafe._speedups as s",
        "print(sys.version.split()[0])",
        "print(s.__file__)",
        "print(markupsafe.escape is s.escape, s.escape('<a>'))")));
    assertThat(out).startsWith(python + ".")
        .contains("/markupsafe/_speedups." + abi + ".so")
        .contains("True &lt;a&gt;");
    assertThat(result.distributions()).contains("Django==" + django, "MarkupSafe==2.1.2");
    String cp = "cp" + python.replace(".", "");
    assertThat(Files.readString(WORK.resolve("out-" + suite).resolve("bundler.lock.json")))
        .containsPattern("(?i)\"markupsafe-2\\.1\\.2-" + cp + "-" + cp + "-linux_x86_64\\.whl\"");

    String glibc = podman.run(tarball, List.of("python", "-c",
        "import platform; print(platform.libc_ver()[1])")).strip();
    assertThat(glibc).as("the suite's glibc").matches("2\\.\\d+");
    assertThat(plan(python, suite, glibc)).as("a wheel for the image's glibc is taken")
        .isNotNull();
    String newer = "2." + (Integer.parseInt(glibc.substring(2)) + 1);
    assertThatThrownBy(() -> plan(python, suite, newer))
        .as("a wheel for a newer glibc than the image's is refused")
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("manylinux_" + newer.replace('.', '_') + "_x86_64");
  }

  /** Plans an application that is one wheel for manylinux {@code glibc}, on {@code suite}. */
  private static dev.bundler.lock.Lockfile plan(String python, String suite, String glibc)
      throws Exception {
    Path wheels = WORK.resolve("glibc-" + suite + "-" + glibc);
    wheel("glibcprobe", "1.0").tag("py3-none-manylinux_" + glibc.replace('.', '_') + "_x86_64")
        .file("glibcprobe/__init__.py", "").writeTo(wheels);
    return Bundler.create(EventHandler.NONE).plan(BundleRequest.builder()
        .workingDirectory(WORK)
        .packageSpec("glibcprobe==1.0")
        .python(python)
        .wheelhouse(wheels.toString())
        .outputDirectory(WORK.resolve("plan-" + suite))
        .cacheDirectory(CACHE.resolve(suite))
        .build());
  }

}
