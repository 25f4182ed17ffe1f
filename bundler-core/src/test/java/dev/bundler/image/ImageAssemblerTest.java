package dev.bundler.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.testkit.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageAssemblerTest {
  @TempDir Path temp;

  static ContainerConfig config() {
    return new ContainerConfig(
        List.of("/entrypoint"),
        List.of("shell"),
        Map.of("LANG", "C.UTF-8"),
        Set.of(8080, 8081),
        Set.of("/config", "/media"),
        "1000:33",
        "/home/app",
        Map.of("org.opencontainers.image.title", "demo"),
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  ImageSpec spec(BaseImage base) throws Exception {
    Layer lower =
        LayerWriter.create()
            .write(
                List.of(
                    LayerEntry.text("usr/bin/tool", 0755, "tool"),
                    LayerEntry.hardlink("usr/bin/tool2", "usr/bin/tool", 0755, 0, 0),
                    LayerEntry.symlink("usr/bin/link", "tool"),
                    LayerEntry.text("usr/bin/setuid", 04755, "suid")),
                temp.resolve("lower.tar.gz"));
    Layer upper =
        LayerWriter.create()
            .write(List.of(LayerEntry.text("entrypoint", 0755, "#!/bin/sh\n")), temp.resolve("upper.tar.gz"));
    return new ImageSpec(
        base,
        List.of(new ImageLayer("tools", lower), new ImageLayer("entrypoint", upper)),
        config(),
        "bundler/demo:1.0",
        "amd64");
  }

  @Test
  void layersReachTheOciArchiveByteForByte() throws Exception {
    ImageSpec spec = spec(new BaseImage.Scratch());
    Path tarball = temp.resolve("image.tar");
    ImageResult result =
        ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE).writeTarball(spec, tarball);

    OciImage image = OciImage.read(tarball);
    assertThat(image.hasOciLayout()).isTrue();
    assertThat(image.manifestDigest()).isEqualTo(result.imageDigest());
    assertThat(image.layerDigests())
        .containsExactly(spec.layers().get(0).layer().digest(), spec.layers().get(1).layer().digest());
    assertThat(image.blob(spec.layers().get(0).layer().digest()))
        .isEqualTo(Files.readAllBytes(spec.layers().get(0).layer().blob()));

    var entries = image.layerEntries(0);
    assertThat(entries.get("usr/bin/link").header().isSymbolicLink()).isTrue();
    assertThat(entries.get("usr/bin/link").header().getLinkName()).isEqualTo("tool");
    assertThat(entries.get("usr/bin/tool2").header().isLink()).isTrue();
    assertThat(entries.get("usr/bin/setuid").mode()).isEqualTo(04755);

    var config = image.config();
    assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    assertThat(config.get("created").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(config.at("/config/Entrypoint/0").asText()).isEqualTo("/entrypoint");
    assertThat(config.at("/config/Cmd/0").asText()).isEqualTo("shell");
    assertThat(config.at("/config/User").asText()).isEqualTo("1000:33");
    assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/home/app");
    assertThat(config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(config.at("/config/Volumes").has("/media")).isTrue();
    assertThat(config.at("/config/Labels/org.opencontainers.image.title").asText()).isEqualTo("demo");
    assertThat(config.at("/rootfs/diff_ids/1").asText()).isEqualTo(spec.layers().get(1).layer().diffId());
    assertThat(config.at("/history/1/created_by").asText()).isEqualTo("bundler: entrypoint");
    assertThat(result.image()).isEqualTo("bundler/demo:1.0");
    assertThat(result.tags()).containsExactly("1.0");
  }

  @Test
  void sameSpecGivesSameDigest() throws Exception {
    ImageSpec spec = spec(new BaseImage.Scratch());
    ImageResult first =
        ImageAssembler.create(temp.resolve("cache1"), EventHandler.NONE)
            .writeTarball(spec, temp.resolve("one.tar"));
    ImageResult second =
        ImageAssembler.create(temp.resolve("cache2"), EventHandler.NONE)
            .writeTarball(spec, temp.resolve("two.tar"));
    assertThat(second.imageDigest()).isEqualTo(first.imageDigest());
    assertThat(second.imageId()).isEqualTo(first.imageId());
    assertThat(Files.readAllBytes(temp.resolve("two.tar")))
        .isEqualTo(Files.readAllBytes(temp.resolve("one.tar")));
  }

  @Test
  void thePlanGivesTheDigestBeforeWritingAndTellsAnArchiveHoldingIt() throws Exception {
    ImageAssembler assembler = ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE);
    Path tarball = temp.resolve("image.tar");
    try (ImagePlan plan = assembler.plan(spec(new BaseImage.Scratch()))) {
      assertThat(assembler.holds(tarball, plan, "bundler/demo:1.0")).isFalse();
      ImageResult written = assembler.writeTarball(plan, "bundler/demo:1.0", tarball);
      assertThat(written.imageDigest()).isEqualTo(plan.digest());
      assertThat(assembler.holds(tarball, plan, "bundler/demo:1.0")).isTrue();
      assertThat(assembler.holds(tarball, plan, "bundler/demo:2.0")).as("another name").isFalse();
      byte[] bytes = Files.readAllBytes(tarball);
      Files.write(tarball, java.util.Arrays.copyOf(bytes, bytes.length - 512));
      assertThat(assembler.holds(tarball, plan, "bundler/demo:1.0")).as("truncated").isFalse();
    }
  }

  @Test
  void aDamagedLayerBlobIsFoundWhileItIsCopiedAndNothingIsLeft() throws Exception {
    ImageSpec spec = spec(new BaseImage.Scratch());
    Path blob = spec.layers().get(0).layer().blob();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(blob, bytes);
    Path tarball = temp.resolve("image.tar");
    assertThatThrownBy(() -> ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE)
            .writeTarball(spec, tarball))
        .isInstanceOfSatisfying(dev.bundler.layer.CorruptBlobException.class,
            e -> assertThat(e.layer()).isEqualTo(spec.layers().get(0).layer()))
        .hasMessageContaining(blob.toString());
    assertThat(tarball).doesNotExist();
    try (var left = Files.list(temp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".bundler-partial-"));
    }
  }

  @Test
  void anOciArchiveServesAsBase() throws Exception {
    Path baseTarball = temp.resolve("base.tar");
    ImageAssembler assembler = ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE);
    ImageResult base = assembler.writeTarball(spec(new BaseImage.Scratch()), baseTarball);

    Layer extra =
        LayerWriter.create()
            .write(List.of(LayerEntry.text("etc/extra", 0644, "x")), temp.resolve("extra.tar.gz"));
    ImageSpec onTop =
        new ImageSpec(
            new BaseImage.Tarball(baseTarball),
            List.of(new ImageLayer("extra", extra)),
            config(),
            "bundler/on-top:1",
            "amd64");
    assembler.writeTarball(onTop, temp.resolve("top.tar"));

    OciImage image = OciImage.read(temp.resolve("top.tar"));
    assertThat(image.layerDigests())
        .hasSize(3)
        .startsWith(OciImage.read(baseTarball).layerDigests().toArray(String[]::new))
        .endsWith(extra.digest());
    assertThat(base.imageDigest()).isNotEqualTo(image.manifestDigest());
  }

  @Test
  void badReferenceAndBaseNameTheirParameters() throws Exception {
    ImageSpec spec = spec(new BaseImage.Scratch());
    ImageSpec badName =
        new ImageSpec(spec.base(), spec.layers(), spec.config(), "Not A Name", "amd64");
    assertThatThrownBy(
            () ->
                ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE)
                    .writeTarball(badName, temp.resolve("x.tar")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(Parameter.IMAGE.toString());
    assertThat(temp.resolve("x.tar")).doesNotExist();

    Path notAnImage = Files.writeString(temp.resolve("junk.tar"), "junk");
    ImageSpec badBase =
        new ImageSpec(new BaseImage.Tarball(notAnImage), spec.layers(), spec.config(), "a/b:1", "amd64");
    assertThatThrownBy(
            () ->
                ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE)
                    .writeTarball(badBase, temp.resolve("y.tar")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("junk.tar");
    assertThat(temp.resolve("y.tar")).doesNotExist();
    assertThat(BaseImage.parse("scratch", temp)).isInstanceOf(BaseImage.Scratch.class);
    assertThat(BaseImage.parse("", temp)).isInstanceOf(BaseImage.Debian.class);
    assertThat(BaseImage.parse("junk.tar", temp)).isInstanceOf(BaseImage.Tarball.class);
    assertThatThrownBy(() -> BaseImage.parse("missing.tar", temp))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> BaseImage.parse("Bad Ref!", temp))
        .hasMessageContaining(Parameter.FROM.toString());
  }
}
