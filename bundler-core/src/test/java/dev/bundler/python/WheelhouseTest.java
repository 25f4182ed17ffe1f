package dev.bundler.python;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelhouseTest {
  private static final PythonTarget PY311 = PythonTarget.bookworm("3.11", "amd64");

  @TempDir Path temp;

  private List<String> select(String name, String version, Set<String> extras) throws Exception {
    List<Wheel> wheels = Wheelhouse.scan(temp, PY311).select(name, version, extras, null);
    try {
      return wheels.stream().map(w -> w.name() + "==" + w.version()).toList();
    } finally {
      for (Wheel wheel : wheels) {
        wheel.close();
      }
    }
  }

  @Test
  void followsRequirementsWithMarkersAndExtras() throws Exception {
    wheel("app", "1.0").requires("lib (>=2)").requires("winonly ; sys_platform == 'win32'")
        .requires("fancy ; extra == 'fancy'").requires("old ; python_version < '3.8'").writeTo(temp);
    wheel("lib", "1.0").writeTo(temp);
    wheel("lib", "2.0").requires("base[speed]").writeTo(temp);
    wheel("lib", "3.0rc1").writeTo(temp);
    wheel("base", "1.0").requires("speedup ; extra == 'speed'").writeTo(temp);
    wheel("speedup", "1.0").writeTo(temp);
    wheel("fancy", "1.0").writeTo(temp);
    wheel("unrelated", "1.0").writeTo(temp);

    assertThat(select("app", "1.0", Set.of()))
        .containsExactly("app==1.0", "lib==2.0", "base==1.0", "speedup==1.0");
    assertThat(select("App", "1.0", Set.of("fancy"))).contains("fancy==1.0");
  }

  @Test
  void prefersTheBestTagAndFinalReleases() throws Exception {
    wheel("app", "1.0").requires("native").writeTo(temp);
    wheel("native", "1.0").writeTo(temp);
    wheel("native", "1.0").tag("cp311-cp311-manylinux_2_17_x86_64").writeTo(temp);
    wheel("native", "2.0b1").writeTo(temp);
    List<Wheel> wheels = Wheelhouse.scan(temp, PY311).select("app", "1.0", Set.of(), null);
    try {
      assertThat(wheels.get(1).file().getFileName().toString())
          .isEqualTo("native-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
    } finally {
      for (Wheel wheel : wheels) {
        wheel.close();
      }
    }
  }

  @Test
  void missingOrConflictingRequirementsAreNamed() throws Exception {
    wheel("needy", "1.0").requires("absent-lib (>=2.0)").writeTo(temp);
    assertThatThrownBy(() -> select("needy", "1.0", Set.of()))
        .hasMessageContaining("no wheel of absent-lib matching >=2.0, required by needy 1.0");
    assertThatThrownBy(() -> select("nothere", "1.0", Set.of()))
        .hasMessageContaining("no wheel of nothere matching ==1.0, required by the package to bundle");

    wheel("a", "1.0").requires("b").requires("c").writeTo(temp);
    wheel("b", "1.0").requires("c (<1)").writeTo(temp);
    wheel("c", "1.0").writeTo(temp);
    assertThatThrownBy(() -> select("a", "1.0", Set.of()))
        .hasMessageContaining("b 1.0 requires c <1 but the wheelhouse provides c 1.0");

    wheel("modern", "1.0").requiresPython(">=3.12").writeTo(temp);
    assertThatThrownBy(() -> select("modern", "1.0", Set.of()))
        .hasMessageContaining("requires Python >=3.12");
  }
}
