package dev.bundler.build;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.PackageSpec;
import dev.bundler.compile.WheelhouseCompiler;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.python.PythonTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wheelhouse is made of wheels at hand only where pip would install exactly those: the
 * find-links directories' wheels and the wheels pip built before from the same sources.
 */
class WheelReuseTest {
  private static final PythonTarget PY311 = PythonTarget.bookworm("3.11", "amd64");

  @TempDir Path temp;

  private WheelReuse reuse() {
    return new WheelReuse(temp.resolve("store"), CacheSeal.withKey(new byte[] {7}),
        temp.resolve("scratch"), EventHandler.NONE);
  }

  private WheelhouseCompiler.Job job(Path... links) {
    return new WheelhouseCompiler.Job("compiler", "app==2.0", "python3.11", null,
        Stream.of(links).map(Path::toString).toList(), null, null);
  }

  private static List<String> names(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static final WheelReuse.Chosen NONE = wheels -> { };

  @Test
  void aNewApplicationWheelNextToBuiltDependenciesNeedsNoPip() throws Exception {
    Path app = temp.resolve("app");
    wheel("app", "2.0").file("app/__init__.py", "").requires("lib>=1").writeTo(app);
    Path corpus = temp.resolve("corpus");
    Files.createDirectories(corpus);
    Files.writeString(corpus.resolve("lib-1.5.tar.gz"), "the source of lib 1.5");
    wheel("helper", "3.0").file("helper/__init__.py", "").writeTo(corpus);

    PackageSpec application = PackageSpec.parse("app==2.0", null, temp);
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "compiler",
        temp.resolve("wh1"), NONE)).as("lib 1.5 is a source not built yet: pip must run").isFalse();

    // pip ran once and built lib from its source.
    Path pipOutput = temp.resolve("pip-output");
    wheel("lib", "1.5").file("lib/__init__.py", "").writeTo(pipOutput);
    wheel("app", "2.0").file("app/__init__.py", "").requires("lib>=1").writeTo(pipOutput);
    reuse().remember(job(app, corpus), "compiler", pipOutput);

    List<String> chosen = new java.util.ArrayList<>();
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "compiler",
        temp.resolve("wh2"), wheels -> wheels.forEach(w -> chosen.add(w.name() + " " + w.version()))))
        .isTrue();
    assertThat(chosen).as("the choice is told, application first").containsExactly("app 2.0", "lib 1.5");
    assertThat(names(temp.resolve("wh2")))
        .containsExactly("app-2.0-py3-none-any.whl", "lib-1.5-py3-none-any.whl");
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "another compiler",
        temp.resolve("wh3"), NONE)).as("built by another compiler: not reused").isFalse();

    Files.writeString(corpus.resolve("lib-1.6.tar.gz"), "a newer source");
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "compiler",
        temp.resolve("wh4"), NONE)).as("pip would build lib 1.6").isFalse();
    Files.delete(corpus.resolve("lib-1.6.tar.gz"));
    Files.writeString(corpus.resolve("lib-1.7b1.tar.gz"), "a pre-release pip leaves alone");
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "compiler",
        temp.resolve("wh5"), NONE)).isTrue();

    Files.writeString(corpus.resolve("lib-1.5.tar.gz"), "the same name, other bytes");
    assertThat(reuse().assemble(job(app, corpus), application, PY311, "compiler",
        temp.resolve("wh6"), NONE)).as("a source is known by its bytes").isFalse();
  }

  @Test
  void anIndexOrConfigurationLeavesTheChoiceToPip() throws Exception {
    Path app = temp.resolve("app");
    wheel("app", "2.0").file("app/__init__.py", "").writeTo(app);
    PackageSpec application = PackageSpec.parse("app==2.0", null, temp);
    WheelhouseCompiler.Job withIndex = new WheelhouseCompiler.Job("compiler", "app==2.0",
        "python3.11", "https://index.invalid/simple", List.of(app.toString()), null, null);
    assertThat(reuse().assemble(withIndex, application, PY311, "compiler", temp.resolve("w"), NONE))
        .isFalse();
    assertThat(reuse().assemble(job(app), application, PY311, "compiler", temp.resolve("w2"), NONE))
        .isTrue();
  }

  @Test
  void sourceFileNamesAreReadAsPipReadsThem() {
    assertThat(WheelReuse.source("Django-3.2.25.tar.gz")).containsExactly("django", "3.2.25");
    assertThat(WheelReuse.source("zope.interface-6.0.zip")).containsExactly("zope-interface", "6.0");
    assertThat(WheelReuse.source("my-app-1.0rc1.tar.gz")).containsExactly("my-app", "1.0rc1");
    assertThat(WheelReuse.source("notes.txt")).isNull();
  }
}
