package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real container with podman, on a root file system bundler laid out (busybox from Debian). */
class ContainerRunnerIT {
  @TempDir Path temp;

  @Test
  void podmanRunsABundlerRootDirectoryWithMountsAsAnUnprivilegedUser() throws Exception {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    ContainerRuntime podman = ContainerRuntime.find("podman", System.getenv());
    ContainerRoot image = busyboxRoot(podman);
    assertThat(image).isInstanceOf(ContainerRoot.Directory.class);
    List<String> lines = new CopyOnWriteArrayList<>();
    EventHandler events =
        event -> {
          if (event instanceof BundlerEvent.Log log) {
            lines.add(log.message());
          }
        };
    ContainerRunner runner =
        ContainerRunner.create(podman, temp.resolve("podman"), temp.resolve("scratch"), List.of(),
            events);
    Path input = Files.createDirectory(temp.resolve("in"));
    Files.writeString(input.resolve("greeting"), "hello");
    Path output = Files.createDirectory(temp.resolve("out"));
    output.toFile().setWritable(true, false);

    ContainerRunner.Outcome outcome =
        runner.run(
            new ContainerRun(
                image,
                List.of(
                    new ContainerRun.Mount(input, "/in", true),
                    new ContainerRun.Mount(output, "/out", false)),
                "1000:1000",
                false,
                Map.of("WHO", "bundler"),
                "/in",
                List.of(
                    "/bin/busybox", "sh", "-c",
                    "cat greeting > /out/copy; id -u; echo $WHO; pwd; touch /in/x || echo read-only")));

    assertThat(outcome.succeeded()).as(String.join("\n", outcome.tail())).isTrue();
    assertThat(output.resolve("copy")).hasContent("hello");
    assertThat(outcome.tail()).contains("1000", "bundler", "/in", "read-only");
    assertThat(lines).anyMatch(line -> line.contains("bundler"));

    ContainerRunner.Outcome failed =
        runner.run(
            new ContainerRun(image, List.of(), "1000", false, Map.of(), "/",
                List.of("/bin/busybox", "sh", "-c", "echo failing; exit 3")));
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.tail()).containsExactly("failing");
    Path tree = ((ContainerRoot.Directory) image).path();
    assertThat(tree.resolve("x")).as("the run's writes stay in its overlay").doesNotExist();
    assertThat(temp.resolve("scratch")).isEmptyDirectory();
  }

  @Test
  void theDockerCliImportsTheRootOnceAndRunsIt() throws Exception {
    try (dev.bundler.testkit.DockerEngine engine =
        dev.bundler.testkit.DockerEngine.start(Path.of("target", "docker").toAbsolutePath())) {
      ContainerRuntime docker = ContainerRuntime.find(engine.cli().toString(), System.getenv());
      assertThat(docker.kind()).isEqualTo(ContainerRuntime.Kind.DOCKER);
      assertThat(docker.runsOciArchives()).isFalse();
      ContainerRoot image = busyboxRoot(docker);
      assertThat(image).isInstanceOf(ContainerRoot.Image.class);
      assertThat(busyboxRoot(docker)).as("imported once, then found").isEqualTo(image);
      Path output = Files.createDirectory(temp.resolve("docker-out"));
      output.toFile().setWritable(true, false);
      ContainerRunner.Outcome outcome =
          ContainerRunner.create(docker, temp.resolve("unused"), temp.resolve("scratch"), List.of(),
                  EventHandler.NONE)
              .run(new ContainerRun(image, List.of(new ContainerRun.Mount(output, "/out", false)),
                  "1000:1000", false, Map.of("WHO", "docker"), "/",
                  List.of("/bin/busybox", "sh", "-c", "echo $WHO > /out/who; id -u")));
      assertThat(outcome.succeeded()).as(String.join("\n", outcome.tail())).isTrue();
      assertThat(outcome.tail()).contains("1000");
      assertThat(output.resolve("who")).hasContent("docker");
    }
  }

  /** A root holding Debian's static busybox, laid out by bundler for {@code runtime}. */
  private ContainerRoot busyboxRoot(ContainerRuntime runtime) throws Exception {
    Tools.require("apt-get", "apt");
    Path debs = Files.createDirectories(temp.resolve("debs"));
    Path deb;
    try (var files = Files.list(debs)) {
      deb = files.filter(f -> f.toString().endsWith(".deb")).findFirst().orElse(null);
    }
    if (deb == null) {
      Tools.run(List.of("apt-get", "download", "busybox-static"), debs)
          .requireSuccess(List.of("apt-get", "download", "busybox-static"));
      try (var files = Files.list(debs)) {
        deb = files.filter(f -> f.toString().endsWith(".deb")).findFirst().orElseThrow();
      }
    }
    Path root = temp.resolve("root");
    if (!Files.isDirectory(root)) {
      Tools.check(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
    }
    Path busybox = root.resolve("bin/busybox");
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.file("bin/busybox", 0755, 0, 0, Content.of(busybox)));
    entries.add(LayerEntry.symlink("bin/sh", "busybox"));
    entries.add(LayerEntry.directory("tmp", 01777, 0, 0));
    entries.add(LayerEntry.directory("in", 0755, 0, 0));
    entries.add(LayerEntry.directory("out", 0755, 0, 0));
    entries.add(LayerEntry.text("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n"));
    ContainerRoots roots = new ContainerRoots(temp.resolve("roots"), temp.resolve("tmp"),
        CacheSeal.withKey(new byte[] {1}), EventHandler.NONE);
    String key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    return roots.root(runtime, key, "busybox", () -> List.of(entries));
  }
}
