package dev.bundler.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.LayerEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CA bundle on a tree made in the test; the comparison with {@code update-ca-certificates} on
 * this machine is in {@link CaCertificatesIT}.
 */
class CaCertificatesTest {

  @Test
  void nothingWithoutCertificates() throws Exception {
    assertThat(CaCertificates.entries(FileTree.of(List.of(List.of(LayerEntry.text("etc/x", 0644, "")))))).isEmpty();
  }
}
