package dev.bundler.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.apt.AptSource;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.Deb822;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The glibc wheels are chosen for is the resolved {@code libc6}'s (the versions of bullseye,
 * bookworm and trixie), not one fixed suite's.
 */
class GlibcVersionTest {
  @Test
  void theGlibcIsTheUpstreamVersionOfLibc6() {
    assertThat(DebianStage.glibcVersion(List.of(pkg("libc6", "2.31-13+deb11u11")))).isEqualTo("2.31");
    assertThat(DebianStage.glibcVersion(List.of(pkg("bash", "5.2.15-2+b7"),
        pkg("libc6", "2.36-9+deb12u10")))).isEqualTo("2.36");
    assertThat(DebianStage.glibcVersion(List.of(pkg("libc6", "2.41-12")))).isEqualTo("2.41");
    assertThat(DebianStage.glibcVersion(List.of(pkg("libc6-dev", "2.41-12")))).isNull();
    assertThat(DebianStage.glibcVersion(List.of())).isNull();
  }

  private static BinaryPackage pkg(String name, String version) {
    return new BinaryPackage(Deb822.of(Map.of("Package", name, "Version", version,
        "Architecture", "amd64", "Filename", "pool/main/" + name + ".deb", "Size", "1",
        "SHA256", "ab".repeat(32))),
        new AptSource(URI.create("file:///repo/"), "bookworm", List.of("main"), null, true), "amd64");
  }
}
