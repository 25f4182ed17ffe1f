package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.events.EventHandler;
import dev.bundler.testkit.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlerTest {
  @TempDir Path temp;

  private BundleRequest.Builder request(String output, String cache) {
    return BundleRequest.builder()
        .workingDirectory(temp)
        .packageSpec("demo==1.0")
        .from("scratch")
        .wheelhouse("wheels")
        .outputDirectory(temp.resolve(output))
        .cacheDirectory(temp.resolve(cache))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private void wheelhouse() throws Exception {
    Path wheels = temp.resolve("wheels");
    wheel("demo", "1.0").file("demo/__init__.py", "def main(): print('demo')\n")
        .entryPoints("[console_scripts]\ndemo = demo:main\n").requires("helper>=1").writeTo(wheels);
    wheel("helper", "1.5").file("helper/__init__.py", "").writeTo(wheels);
  }

  @Test
  void buildsAReproducibleImageWithLayersByStability() throws Exception {
    wheelhouse();
    BuildResult first = Bundler.create(EventHandler.NONE).build(request("out1", "cache1").build());
    BuildResult second = Bundler.create(EventHandler.NONE).build(request("out2", "cache2").build());

    assertThat(second.image().imageDigest()).isEqualTo(first.image().imageDigest());
    // Pinned: the same inputs give this digest on any machine. A change here changes every image.
    assertThat(first.image().imageDigest())
        .isEqualTo("sha256:d10137b6633696756b041cadf0d257e6a0bcefb7bac1889494e253bddffbe357");
    assertThat(first.distributions()).containsExactly("demo==1.0", "helper==1.5");

    OciImage image = OciImage.read(first.image().tarball());
    assertThat(image.layerDigests()).hasSize(3);
    assertThat(image.layerEntries(0)).containsKeys(
        "home/app/app/pyvenv.cfg", "home/app/app/bin/python3",
        "home/app/app/lib/python3.11/site-packages/helper/__init__.py");
    assertThat(image.layerEntries(1)).containsKeys("home/app/app/bin/demo");
    assertThat(image.layerEntries(2)).containsKeys("usr/local/bin/bundler-entrypoint");
    assertThat(Files.readString(first.imageJson())).contains("\"imageDigest\" : \"" + first.image().imageDigest());
    assertThat(temp.resolve("out1/image.digest")).hasContent(first.image().imageDigest());
  }

  @Test
  void aProjectsOwnTemplatesReplaceTheShippedOnes() throws Exception {
    wheelhouse();
    Path mine = Files.createDirectories(temp.resolve("my-templates"));
    Files.writeString(mine.resolve("nginx.conf"), "# the project's own nginx.conf\n");
    BuildResult result = Bundler.create(EventHandler.NONE)
        .build(request("out", "cache").templates("my-templates").build());
    var runner = OciImage.read(result.image().tarball()).layerEntries(2);
    assertThat(runner.get("home/app/templates/nginx.conf").text())
        .isEqualTo("# the project's own nginx.conf\n");
    assertThat(runner.get("home/app/templates/uwsgi.ini").text()).contains("[uwsgi]");

    Files.writeString(mine.resolve("nginx.cfg"), "typo");
    assertThatThrownBy(() -> request("out", "cache").templates("my-templates").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.TEMPLATES))
        .hasMessageContaining("nginx.cfg");
    assertThatThrownBy(() -> request("out", "cache").templates("no-such-dir").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(Parameter.TEMPLATES.toString());
  }

  @Test
  void aBuildWithNothingChangedWritesNothing() throws Exception {
    wheelhouse();
    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventHandler events = event -> {
      if (event instanceof dev.bundler.events.BundlerEvent.Log log) {
        messages.add(log.message());
      }
    };
    BuildResult first = Bundler.create(events).build(request("out", "cache").build());
    Map<Path, List<Object>> before = stamps(temp.resolve("out"));
    assertThat(before).hasSize(7).containsKey(Path.of(".bundler-state"));
    Map<Path, List<Object>> cacheBefore = stamps(temp.resolve("cache/layers"));
    messages.clear();

    BuildResult again = Bundler.create(events).build(request("out", "cache").build());

    assertThat(again.image().imageDigest()).isEqualTo(first.image().imageDigest());
    assertThat(stamps(temp.resolve("out"))).as("no output file written again").isEqualTo(before);
    assertThat(stamps(temp.resolve("cache/layers"))).as("no layer written again")
        .isEqualTo(cacheBefore);
    assertThat(messages).anyMatch(m -> m.contains("is up to date"))
        .noneMatch(m -> m.startsWith("Writing"));

    // Anything else is written again: a changed application, or an output removed.
    Files.delete(temp.resolve("out/sbom.cdx.json"));
    Bundler.create(events).build(request("out", "cache").build());
    assertThat(temp.resolve("out/sbom.cdx.json")).exists();

    messages.clear();
    wheel("helper", "1.5").file("helper/__init__.py", "# changed\n").writeTo(temp.resolve("wheels"));
    BuildResult changed = Bundler.create(events).build(request("out", "cache").build());
    assertThat(changed.image().imageDigest()).as("a wheel changed in place")
        .isNotEqualTo(first.image().imageDigest());
    assertThat(messages).anyMatch(m -> m.startsWith("Writing image"));
  }

  /** Each file under {@code directory} with its inode and modification time. */
  private static Map<Path, List<Object>> stamps(Path directory) throws Exception {
    Map<Path, List<Object>> stamps = new java.util.TreeMap<>();
    try (var files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        stamps.put(directory.relativize(file), List.of(Files.getAttribute(file, "unix:ino"),
            Files.getLastModifiedTime(file).toInstant(), Files.size(file)));
      }
    }
    return stamps;
  }

  @Test
  void aFailedBuildLeavesNoImageBehind() throws Exception {
    wheelhouse();
    Bundler.create(EventHandler.NONE).build(request("out", "cache").build());
    assertThat(temp.resolve("out/image.tar")).exists();
    wheel("broken", "1.0").file("b/x.py", "x").badHash("b/x.py").writeTo(temp.resolve("wheels"));

    assertThatThrownBy(() -> Bundler.create(EventHandler.NONE)
            .build(request("out", "cache").packageSpec("broken==1.0").build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("broken-1.0-py3-none-any.whl");
    try (var files = Files.list(temp.resolve("out"))) {
      assertThat(files).isEmpty();
    }
  }
}
