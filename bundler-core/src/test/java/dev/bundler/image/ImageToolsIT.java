package dev.bundler.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball bundler writes is read by the reference tools: skopeo and umoci. */
class ImageToolsIT {
  @TempDir Path temp;

  @Test
  void skopeoAndUmociReadTheTarballAndKeepLinks() throws Exception {
    Tools.require("skopeo", "skopeo");
    Tools.require("umoci", "umoci");
    ImageSpec spec = new ImageAssemblerTest() {{ temp = ImageToolsIT.this.temp; }}
        .spec(new BaseImage.Scratch());
    Path tarball = temp.resolve("image.tar");
    ImageResult result =
        ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE).writeTarball(spec, tarball);

    JsonNode inspect =
        new ObjectMapper()
            .readTree(Tools.check(List.of("skopeo", "inspect", "oci-archive:" + tarball)));
    assertThat(inspect.get("Digest").asText()).isEqualTo(result.imageDigest());
    assertThat(inspect.get("Layers")).hasSize(2);

    Path layout = Files.createDirectory(temp.resolve("layout"));
    Tools.check(List.of("tar", "-xf", tarball.toString(), "-C", layout.toString()));
    String refName =
        dev.bundler.testkit.OciImage.read(tarball)
            .index()
            .at("/manifests/0/annotations/org.opencontainers.image.ref.name")
            .asText();
    assertThat(refName).as("index.json names the image").isNotEmpty();
    Path bundle = temp.resolve("bundle");
    Tools.check(
        List.of("umoci", "unpack", "--rootless", "--image", layout + ":" + refName, bundle.toString()));
    Path rootfs = bundle.resolve("rootfs");
    assertThat(Files.readSymbolicLink(rootfs.resolve("usr/bin/link"))).hasToString("tool");
    assertThat(Files.getAttribute(rootfs.resolve("usr/bin/tool2"), "unix:ino"))
        .isEqualTo(Files.getAttribute(rootfs.resolve("usr/bin/tool"), "unix:ino"));
    assertThat((int) Files.getAttribute(rootfs.resolve("usr/bin/setuid"), "unix:mode") & 07777)
        .isEqualTo(04755);
    assertThat(rootfs.resolve("entrypoint")).hasContent("#!/bin/sh");
  }

  @Test
  void aRegistryImageServesAsBase() throws Exception {
    ImageAssemblerTest kit = new ImageAssemblerTest();
    kit.temp = temp;
    Path baseTarball = temp.resolve("base.tar");
    ImageAssembler assembler =
        ImageAssembler.create(temp.resolve("cache"), EventHandler.NONE).allowInsecureRegistries(true);
    assembler.writeTarball(kit.spec(new BaseImage.Scratch()), baseTarball);
    String reference;
    dev.bundler.layer.Layer extra;
    try (var registry = dev.bundler.testkit.LocalRegistry.start(temp.resolve("registry"))) {
      reference = registry.push(baseTarball, "bundler-test/base:1");
      extra = dev.bundler.layer.LayerWriter.create().write(
          List.of(dev.bundler.layer.LayerEntry.text("etc/extra", 0644, "x")), temp.resolve("extra.tar.gz"));
      assembler.writeTarball(onTop(reference, extra), temp.resolve("top.tar"));

      var image = dev.bundler.testkit.OciImage.read(temp.resolve("top.tar"));
      assertThat(image.layerDigests())
          .containsExactlyElementsOf(concat(dev.bundler.testkit.OciImage.read(baseTarball).layerDigests(), extra.digest()));

      ImageSpec unreachable = new ImageSpec(new BaseImage.Registry("127.0.0.1:1/none:1"),
          List.of(new ImageLayer("extra", extra)), ImageAssemblerTest.config(), "bundler/x:1", "amd64");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> assembler.writeTarball(unreachable, temp.resolve("x.tar")))
          .isInstanceOf(dev.bundler.EnvironmentException.class)
          .hasMessageContaining("Cannot pull the base image 127.0.0.1:1/none:1");
      assertThat(temp.resolve("x.tar")).doesNotExist();
      assertThat(new RegistryTags(java.util.Map.of(), true).list(reference)).containsExactly("1");
    }
    // The registry is gone: offline, the base comes from the cache, and only from there.
    ImageAssembler offline = assembler.offline(true);
    offline.writeTarball(onTop(reference, extra), temp.resolve("offline.tar"));
    assertThat(dev.bundler.testkit.OciImage.read(temp.resolve("offline.tar")).layerDigests())
        .isEqualTo(dev.bundler.testkit.OciImage.read(temp.resolve("top.tar")).layerDigests());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> offline.writeTarball(
            onTop(reference.replace(":1", ":2"), extra), temp.resolve("y.tar")))
        .isInstanceOf(dev.bundler.EnvironmentException.class)
        .hasMessageContaining("is not in bundler's cache and the build is offline");
    assertThat(temp.resolve("y.tar")).doesNotExist();
  }

  @Test
  void aPrivateRegistryBaseIsPulledWithItsLoginAndRefusedWithoutIt() throws Exception {
    ImageAssemblerTest kit = new ImageAssemblerTest();
    kit.temp = temp;
    Path baseTarball = temp.resolve("base.tar");
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventHandler events = event -> log.add(event.toString());
    ImageAssembler assembler =
        ImageAssembler.create(temp.resolve("cache"), events).allowInsecureRegistries(true);
    assembler.writeTarball(kit.spec(new BaseImage.Scratch()), baseTarball);
    var extra = dev.bundler.layer.LayerWriter.create().write(
        List.of(dev.bundler.layer.LayerEntry.text("etc/extra", 0644, "x")), temp.resolve("extra.tar.gz"));
    try (var registry = dev.bundler.testkit.LocalRegistry.startWithLogin(
        temp.resolve("private"), "builder", "S3cret-Pa55")) {
      String reference = registry.push(baseTarball, "team/base:1");
      String host = registry.address();

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> assembler.writeTarball(onTop(reference, extra), temp.resolve("x.tar")))
          .isInstanceOfSatisfying(dev.bundler.InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.FROM))
          .hasMessageContaining("needs credentials")
          .hasMessageContaining("<id>" + host + "</id>");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> assembler
              .credentials(java.util.Map.of(host, new RegistryCredentials("builder", "Wr0ng-Pa55")))
              .writeTarball(onTop(reference, extra), temp.resolve("x.tar")))
          .isInstanceOf(dev.bundler.InvalidInputException.class)
          .hasMessageContaining("check its username, password")
          .hasMessageNotContaining("Wr0ng-Pa55");
      assertThat(temp.resolve("x.tar")).doesNotExist();

      assembler.credentials(java.util.Map.of(host, new RegistryCredentials("builder", "S3cret-Pa55")))
          .writeTarball(onTop(reference, extra), temp.resolve("private.tar"));

      registry.push(baseTarball, "team/base:2");
      RegistryTags tags = new RegistryTags(
          java.util.Map.of(host, new RegistryCredentials("builder", "S3cret-Pa55")), true);
      assertThat(tags.list(host + "/team/base")).containsExactly("1", "2");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new RegistryTags(java.util.Map.of(), true).list(host + "/team/base"))
          .isInstanceOf(dev.bundler.InvalidInputException.class)
          .hasMessageContaining("needs credentials");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> tags.list(host + "/team/none"))
          .isInstanceOf(dev.bundler.InvalidInputException.class)
          .hasMessageContaining("has no repository team/none");
      assertThat(dev.bundler.testkit.OciImage.read(temp.resolve("private.tar")).layerDigests())
          .containsExactlyElementsOf(concat(
              dev.bundler.testkit.OciImage.read(baseTarball).layerDigests(), extra.digest()));
    }
    assertThat(log).isNotEmpty().noneMatch(line -> line.contains("S3cret-Pa55") || line.contains("Wr0ng-Pa55"));
    assertThat(new RegistryCredentials("builder", "S3cret-Pa55").toString()).doesNotContain("S3cret");
  }

  private static ImageSpec onTop(String reference, dev.bundler.layer.Layer extra) {
    return new ImageSpec(new BaseImage.Registry(reference),
        List.of(new ImageLayer("extra", extra)), ImageAssemblerTest.config(), "bundler/on-top:1", "amd64");
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(last);
    return all;
  }
}
