package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.image.ContainerConfig;
import dev.bundler.image.ImageAssembler;
import dev.bundler.image.ImageLayer;
import dev.bundler.image.ImageSpec;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real container with podman, from an image bundler wrote (busybox from Debian). */
class ContainerRunnerIT {
  @TempDir Path temp;

  @Test
  void podmanRunsABundlerImageWithMountsAsAnUnprivilegedUser() throws Exception {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    Path image = busyboxImage(true);
    ContainerRuntime podman = ContainerRuntime.find("podman", System.getenv());
    List<String> lines = new CopyOnWriteArrayList<>();
    EventHandler events =
        event -> {
          if (event instanceof BundlerEvent.Log log) {
            lines.add(log.message());
          }
        };
    ContainerRunner runner =
        ContainerRunner.create(podman, temp.resolve("podman"), List.of(), events);
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
  }

  @Test
  void theDockerCliLoadsADockerTarballAndRunsIt() throws Exception {
    Path image = busyboxImage(false);
    try (dev.bundler.testkit.DockerEngine engine =
        dev.bundler.testkit.DockerEngine.start(Path.of("target", "docker").toAbsolutePath())) {
      ContainerRuntime docker = ContainerRuntime.find(engine.cli().toString(), System.getenv());
      assertThat(docker.kind()).isEqualTo(ContainerRuntime.Kind.DOCKER);
      assertThat(docker.runsOciArchives()).isFalse();
      Path output = Files.createDirectory(temp.resolve("docker-out"));
      output.toFile().setWritable(true, false);
      ContainerRunner.Outcome outcome =
          ContainerRunner.create(docker, temp.resolve("unused"), List.of(), EventHandler.NONE)
              .run(new ContainerRun(image, List.of(new ContainerRun.Mount(output, "/out", false)),
                  "1000:1000", false, Map.of("WHO", "docker"), "/",
                  List.of("/bin/busybox", "sh", "-c", "echo $WHO > /out/who; id -u")));
      assertThat(outcome.succeeded()).as(String.join("\n", outcome.tail())).isTrue();
      assertThat(outcome.tail()).contains("1000");
      assertThat(output.resolve("who")).hasContent("docker");
    }
  }

  /** An image holding Debian's static busybox, written by bundler's own layer writer. */
  private Path busyboxImage(boolean oci) throws Exception {
    Tools.require("apt-get", "apt");
    Path debs = Files.createDirectory(temp.resolve("debs"));
    Tools.run(List.of("apt-get", "download", "busybox-static"), debs)
        .requireSuccess(List.of("apt-get", "download", "busybox-static"));
    Path deb;
    try (var files = Files.list(debs)) {
      deb = files.filter(f -> f.toString().endsWith(".deb")).findFirst().orElseThrow();
    }
    Path root = temp.resolve("root");
    Tools.check(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
    Path busybox = root.resolve("bin/busybox");
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.file("bin/busybox", 0755, 0, 0, Content.of(busybox)));
    entries.add(LayerEntry.symlink("bin/sh", "busybox"));
    entries.add(LayerEntry.directory("tmp", 01777, 0, 0));
    entries.add(LayerEntry.text("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n"));
    var layer = LayerWriter.create().write(entries, temp.resolve("busybox.tar.gz"));
    ContainerConfig config =
        new ContainerConfig(List.of(), List.of("/bin/sh"), Map.of(), Set.of(), Set.of(), "0", "/",
            Map.of(), Instant.EPOCH);
    Path tarball = temp.resolve(oci ? "busybox.tar" : "busybox.docker.tar");
    ImageSpec spec = new ImageSpec(new BaseImage.Scratch(), List.of(new ImageLayer("busybox", layer)),
        config, "bundler-test/busybox:1", "amd64");
    ImageAssembler assembler = ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE);
    if (oci) {
      assembler.writeTarball(spec, tarball);
    } else {
      assembler.writeDockerTarball(spec, tarball);
    }
    return tarball;
  }
}
