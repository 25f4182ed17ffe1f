package dev.bundler.build;

import dev.bundler.BundleRequest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.image.ImageLayer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.testkit.EventLog;
import dev.bundler.testkit.LayerTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dbundler.python=3.13} picks trixie from the mirror of this machine's APT configuration
 * (which names bookworm), and trixie's runtime set, natively merged-/usr with {@code t64}
 * libraries, is resolved and written into the Debian layers.
 */
class DebianSuitesIT {
  @TempDir Path temp;

  @Test
  void python313ResolvesTrixieAndWritesItsLayers() throws Exception {
    BundleRequest request = BundleRequest.builder().packageSpec("demo==1.0").python("3.13")
        .workingDirectory(temp).cacheDirectory(temp.resolve("cache")).build();
    assertThat(request.debian().suite()).isEqualTo("trixie");
    EventLog events = new EventLog();
    DebianStage stage = new DebianStage(request, events);
    List<BinaryPackage> packages = stage.runtimePackages();
    assertThat(packages).extracting(BinaryPackage::name)
        .contains("python3.13", "nginx-light", "uwsgi-plugin-python3", "base-files", "coreutils")
        .anyMatch(name -> name.endsWith("t64"));
    assertThat(packages).allMatch(p -> p.source().suite().startsWith("trixie"));

    List<dev.bundler.layer.Layer> layers = dev.bundler.testkit.DebianLayers.write(
        stage.downloader(), packages, stage.users(), "amd64", temp.resolve("layers"),
        temp.resolve("debs"), events);
    Map<String, String> all = new LinkedHashMap<>();
    for (dev.bundler.layer.Layer layer : layers) {
      all.putAll(LayerTar.entries(layer.blob()));
    }
    assertThat(all).containsKeys("usr/bin/python3.13", "usr/bin/[", "usr/sbin/nginx",
        "etc/ld.so.cache", "var/lib/dpkg/status");
    assertThat(all).containsEntry("bin", "-> usr/bin").containsEntry("lib", "-> usr/lib")
        .containsEntry("sbin", "-> usr/sbin");
    assertThat(all.keySet()).as("nothing under the top-level links themselves")
        .noneMatch(path -> path.matches("(bin|sbin|lib|lib64)/.+"));
  }

}
