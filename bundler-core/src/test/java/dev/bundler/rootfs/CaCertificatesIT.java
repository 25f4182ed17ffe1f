package dev.bundler.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.DirectoryEntries;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundle bundler writes equals the one {@code update-ca-certificates} wrote on this machine
 * from the same certificates.
 */
class CaCertificatesIT {

  @Test
  void bundleMatchesUpdateCaCertificatesOnThisMachine() throws Exception {
    Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
    assertThat(bundle)
        .as("this test compares with Debian's update-ca-certificates: apt-get install ca-certificates")
        .exists();
    List<LayerEntry> host = new ArrayList<>();
    for (String dir : List.of(CaCertificates.SHARED, CaCertificates.LOCAL)) {
      Path source = Path.of("/", dir);
      if (Files.isDirectory(source)) {
        for (LayerEntry entry : DirectoryEntries.of(source)) {
          host.add(prefixed(dir, entry));
        }
      }
    }
    List<LayerEntry> entries = CaCertificates.entries(FileTree.of(List.of(host)));

    LayerEntry ours =
        entries.stream().filter(e -> e.path().equals(CaCertificates.BUNDLE)).findFirst().orElseThrow();
    try (InputStream in = ours.content().open()) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(bundle));
    }
    assertThat(entries)
        .filteredOn(e -> e.type() == LayerEntry.Type.SYMLINK)
        .anySatisfy(e -> {
          assertThat(e.path()).isEqualTo("etc/ssl/certs/ISRG_Root_X1.pem");
          assertThat(e.linkTarget()).isEqualTo("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt");
        });
  }

  private static LayerEntry prefixed(String dir, LayerEntry entry) {
    return new LayerEntry(dir + "/" + entry.path(), entry.type(), entry.mode(), entry.uid(),
        entry.gid(), entry.linkTarget(), entry.content());
  }
}
