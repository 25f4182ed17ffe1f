package dev.bundler.build;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.BundleRequest;
import dev.bundler.CompileSettings;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.lock.Lockfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Dpackage=NAME}: the newest version offered, as pip takes it, named and pinned. */
class VersionsTest {
  @TempDir Path temp;

  private BundleRequest.Builder request(String spec) {
    return BundleRequest.builder().workingDirectory(temp).packageSpec(spec).from("scratch")
        .cacheDirectory(temp.resolve("cache")).namespace("bluesolutions");
  }

  @Test
  void theNewestFinalReleaseOfTheWheelhouseIsTakenAndTagsTheImage() throws Exception {
    Path wheels = temp.resolve("wheels");
    wheel("milborne", "0.3.0").file("milborne/__init__.py", "").writeTo(wheels);
    wheel("milborne", "0.4.0").file("milborne/__init__.py", "").writeTo(wheels);
    wheel("milborne", "0.5.0rc1").file("milborne/__init__.py", "").writeTo(wheels);
    wheel("other", "9.0").file("other/__init__.py", "").writeTo(wheels);

    BundleRequest unpinned = request("milborne").wheelhouse("wheels").build();
    assertThat(unpinned.application().pinned()).isFalse();
    BundleRequest pinned = Versions.pin(unpinned, EventHandler.NONE);
    assertThat(pinned.application().version()).isEqualTo("0.4.0");
    assertThat(pinned.image()).isEqualTo("bluesolutions/milborne:0.4.0");
    assertThat(Versions.pin(request("milborne").wheelhouse("wheels").image("x/y:1").build(),
        EventHandler.NONE).image()).as("a given image name stays").isEqualTo("x/y:1");
  }

  @Test
  void findLinksSourcesCountAndPreReleasesOnlyWhenAlone() throws Exception {
    Path links = Files.createDirectories(temp.resolve("links"));
    Files.writeString(links.resolve("milborne-0.6.0.tar.gz"), "source");
    wheel("milborne", "0.4.0").file("milborne/__init__.py", "").writeTo(links);
    Files.writeString(links.resolve("beta-2.0b1.tar.gz"), "source");
    CompileSettings compile = new CompileSettings(null, List.of("links"), null, null, null,
        List.of(), List.of());
    assertThat(Versions.pin(request("milborne").compile(compile).build(), EventHandler.NONE)
        .application().version()).isEqualTo("0.6.0");
    assertThat(Versions.pin(request("beta").compile(compile).build(), EventHandler.NONE)
        .application().version()).isEqualTo("2.0b1");
    assertThatThrownBy(() -> Versions.pin(request("absent").compile(compile).build(),
        EventHandler.NONE))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.PACKAGE))
        .hasMessageContaining(Parameter.PACKAGE.withValue("absent==VERSION"));
    CompileSettings index = new CompileSettings("https://index.invalid/simple", List.of(), null,
        null, null, List.of(), List.of());
    assertThat(Versions.pin(request("milborne").compile(index).build(), EventHandler.NONE)
        .application().pinned()).as("with an index, pip decides").isFalse();
  }

  @Test
  void theLockfilesPinWins() throws Exception {
    Path wheels = temp.resolve("wheels");
    wheel("milborne", "0.4.0").file("milborne/__init__.py", "").writeTo(wheels);
    wheel("milborne", "0.5.0").file("milborne/__init__.py", "").writeTo(wheels);
    Path lock = temp.resolve("bundler.lock.json");
    new Lockfile(Lockfile.FORMAT, new Lockfile.Inputs("milborne==0.4.0", "3.11", "amd64",
        "bookworm", List.of("main"), List.of(), true), List.of(),
        List.of(new Lockfile.Wheel("milborne", "0.4.0", "milborne-0.4.0-py3-none-any.whl",
            "a".repeat(64)))).write(lock);
    assertThat(Versions.pin(request("milborne").wheelhouse("wheels").lockFile(lock).build(),
        EventHandler.NONE).application().version()).isEqualTo("0.4.0");
  }
}
