package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine's mirror for one suite serves the other suites of its archive. */
class MachineSourcesTest {
  private static final String DEBIAN = "/usr/share/keyrings/debian-archive-keyring.gpg";

  private static List<String> describe(List<AptSource> sources) {
    return sources.stream().map(s -> s.uri() + " " + s.suite() + " " + String.join(",", s.components())
        + " " + s.keyring()).toList();
  }

  @Test
  void aBookwormMachineServesTrixieAndItsSecurityArchive() {
    List<AptSource> machine = MachineSources.deb822(String.join("\n",
        "Types: deb", "URIs: http://mirror.invalid/debian", "Suites: bookworm bookworm-updates",
        "Components: main contrib", "Signed-By: " + DEBIAN, "",
        "Types: deb", "URIs: http://mirror.invalid/debian-security", "Suites: bookworm-security",
        "Components: main", "Signed-By: " + DEBIAN, ""));
    assertThat(describe(MachineSources.forSuite(machine, "trixie", List.of("main"), false, false)))
        .containsExactly(
            "http://mirror.invalid/debian/ trixie main " + DEBIAN,
            "http://mirror.invalid/debian/ trixie-updates main " + DEBIAN,
            "http://mirror.invalid/debian-security/ trixie-security main " + DEBIAN);
    assertThat(describe(MachineSources.forSuite(machine, "bullseye", List.of("main"), true, false)))
        .as("a keyring the user names replaces Signed-By")
        .containsExactly(
            "http://mirror.invalid/debian/ bullseye main null",
            "http://mirror.invalid/debian/ bullseye-updates main null",
            "http://mirror.invalid/debian-security/ bullseye-security main null");
  }

  @Test
  void theSecurityArchiveIsFoundNextToTheMirrorAndVendorsAndBackportsStayOut() {
    List<AptSource> machine = MachineSources.oneLine(String.join("\n",
        "deb http://mirror.invalid/debian bookworm main",
        "deb http://mirror.invalid/debian bookworm-backports main",
        "deb [signed-by=/etc/apt/keyrings/vendor.asc] https://vendor.invalid/apt bookworm stable",
        "deb [signed-by=/etc/apt/keyrings/vendor.asc] https://vendor.invalid/apt trixie stable"));
    assertThat(describe(MachineSources.forSuite(machine, "trixie", List.of("main"), false, false)))
        .containsExactly(
            "http://mirror.invalid/debian/ trixie main null",
            "http://mirror.invalid/debian/ trixie-updates main null",
            "http://mirror.invalid/debian-security/ trixie-security main null",
            "https://vendor.invalid/apt/ trixie stable /etc/apt/keyrings/vendor.asc");
  }

  @Test
  void aMachineNamingTheSuiteItselfIsTakenAtItsWord() {
    List<AptSource> machine = MachineSources.oneLine(String.join("\n",
        "deb http://old.invalid/debian bookworm main",
        "deb http://new.invalid/debian trixie main",
        "deb http://new.invalid/debian-security trixie-security main"));
    assertThat(describe(MachineSources.forSuite(machine, "trixie", List.of("main"), false, false)))
        .containsExactly(
            "http://new.invalid/debian/ trixie main null",
            "http://new.invalid/debian/ trixie-updates main null",
            "http://new.invalid/debian-security/ trixie-security main null");
    assertThat(describe(MachineSources.forSuite(machine, "bookworm", List.of("main"), false, false)))
        .as("the security archive serves every suite")
        .containsExactly(
            "http://old.invalid/debian/ bookworm main null",
            "http://old.invalid/debian/ bookworm-updates main null",
            "http://new.invalid/debian-security/ bookworm-security main null");
  }
}
