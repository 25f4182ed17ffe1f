package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.EventHandler;
import dev.bundler.image.ImageLayer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.rootfs.SystemUsers;
import dev.bundler.testkit.LayerTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages merged-/usr by themselves, as trixie's are (base-files ships {@code /bin -> usr/bin}),
 * and packages that still ship {@code /bin} (bookworm's) are laid out in one merged-/usr tree.
 */
class MergedUsrTest {
  @TempDir Path temp;

  @Test
  void aPackageShippingTheTopLevelLinksItselfIsMergedAsTheOthers() throws Exception {
    TestKey key = TestKey.generate();
    FixtureRepo repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("base-files", "13.8").field("Essential", "yes").field("Priority", "required")
        .symlink("bin", "usr/bin").symlink("lib", "usr/lib").symlink("lib64", "usr/lib64")
        .symlink("sbin", "usr/sbin").file("usr/lib/os-release", "ID=debian\n");
    repo.add("coreutils", "9.7").field("Essential", "yes").field("Priority", "required")
        .file("usr/bin/[", "test").file("usr/bin/ls", "ls");
    repo.add("old-style", "1.0").field("Priority", "required").file("bin/tool", "tool")
        .file("lib/x86_64-linux-gnu/libold.so.1", "lib");
    try (FixtureRepo served = repo.publish(key, null)) {
      AptConfig config = new AptConfig(List.of(new AptSource(served.serve(), "test",
          List.of("main"), null, false)), "amd64",
          Files.write(temp.resolve("k.gpg"), key.publicKeyring()));
      RepositoryLoader loader = new RepositoryLoader(temp.resolve("cache"), false,
          EventHandler.NONE, Instant.now());
      PackageIndex index = loader.load(config);
      List<BinaryPackage> packages = List.of(index.candidate("base-files"),
          index.candidate("coreutils"), index.candidate("old-style"));
      List<dev.bundler.layer.Layer> layers = dev.bundler.testkit.DebianLayers.write(
          loader.downloader(), packages, new SystemUsers("app", 1000, 33), "amd64",
          temp.resolve("layers"), Files.createDirectories(temp.resolve("scratch")),
          EventHandler.NONE);

      Map<String, String> system = LayerTar.entries(layers.get(0).blob());
      assertThat(system).containsKeys("usr/bin/[", "usr/bin/ls", "usr/bin/tool",
          "usr/lib/x86_64-linux-gnu/libold.so.1", "usr/lib/os-release");
      assertThat(system.keySet()).noneMatch(path -> path.matches("(bin|lib|lib64|sbin)(/.*)?"));
      assertThat(system).doesNotContainKeys("usr/bin", "usr/lib").containsKey("usr/bin/");
      Map<String, String> configuration =
          LayerTar.entries(layers.get(layers.size() - 1).blob());
      assertThat(configuration).containsEntry("bin", "-> usr/bin").containsEntry("lib64", "-> usr/lib64");
    }
  }

}
