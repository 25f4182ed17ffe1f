package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb files of {@link FixtureRepositoryTest}'s repository are real ones, as {@code dpkg-deb}
 * reads them, and bundler lays them out merged-/usr.
 */
class FixtureRepositoryIT {
  @TempDir Path temp;

  private FixtureRepo repo() {
    FixtureRepositoryTest kit = new FixtureRepositoryTest();
    kit.temp = temp;
    return kit.repo();
  }

  @Test
  void readsDebsIntoMergedUsrLayersWithAlternatives() throws Exception {
    TestKey key = TestKey.generate();
    try (FixtureRepo repo = repo().publish(key, null)) {
      Path deb = repo.path("pool/main/old-style_1.0_amd64.deb");
      Tools.require("dpkg-deb", "dpkg");
      assertThat(Tools.check(List.of("dpkg-deb", "-c", deb.toString())))
          .as("the fixture is a real .deb").contains("./bin/tool");
      DebArchive archive = DebArchive.read(deb, dev.bundler.layer.Digests.sha256Hex(deb),
          "old-style 1.0", temp.resolve("unpack"));
      assertThat(archive.field("Package")).isEqualTo("old-style");
      List<LayerEntry> merged = MergedUsr.apply(archive.entries());
      assertThat(merged).extracting(LayerEntry::path)
          .contains("usr/bin/tool", "usr/bin/tool2", "usr/sbin/up").doesNotContain("bin/tool");
      assertThat(merged).filteredOn(e -> e.path().equals("usr/sbin/up"))
          .singleElement().extracting(LayerEntry::linkTarget).isEqualTo("../bin/tool");
    }
  }
}
