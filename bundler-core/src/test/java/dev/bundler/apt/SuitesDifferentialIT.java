package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.EventHandler;
import dev.bundler.testkit.Tools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bullseye and trixie, read from the mirror of this machine's APT configuration (which names
 * bookworm), resolve to the same (package, version) sets as {@code apt-get install --simulate}
 * given the same sources, on an empty system with Recommends off: the runner's packages and the
 * compiler's (trixie's {@code t64} libraries among them).
 */
class SuitesDifferentialIT {
  private static final List<String> RUNNER = List.of("nginx-light", "uwsgi-core",
      "uwsgi-plugin-python3", "supervisor", "cron", "bash", "tzdata", "ca-certificates");
  private static final List<String> COMPILER = List.of("build-essential", "python3-pip",
      "python3-setuptools", "python3-wheel", "libpq-dev");

  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({"bullseye, 3.9", "trixie, 3.13"})
  void runnerAndCompilerSetsEqualApts(String suite, String python) throws Exception {
    Tools.require("apt-get", "apt");
    AptConfig config = AptConfig.of(null, suite, List.of("main"), "amd64", null, false,
        Path.of("/etc/apt"));
    assertThat(config.sources()).extracting(AptSource::suite)
        .containsExactly(suite, suite + "-updates", suite + "-security");
    PackageIndex index = new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE,
        Instant.now()).load(config);
    Resolutions.Apt apt = new Resolutions.Apt(temp.resolve("apt"), config);
    List<String> runner = new ArrayList<>(List.of("python" + python));
    runner.addAll(RUNNER);
    compare(index, apt, runner);
    List<String> compiler = new ArrayList<>(runner);
    compiler.add("python" + python + "-dev");
    compiler.addAll(COMPILER);
    Set<String> compilerSet = compare(index, apt, compiler);
    if (suite.equals("trixie")) {
      assertThat(compilerSet).as("trixie's t64 libraries").anyMatch(p -> p.startsWith("libssl3t64 "));
    }
  }

  private static Set<String> compare(PackageIndex index, Resolutions.Apt apt, List<String> roots)
      throws Exception {
    Set<String> ours = Resolutions.ours(index, roots);
    Set<String> theirs = apt.simulate(roots);
    assertThat(theirs).hasSizeGreaterThan(50);
    assertThat(ours).containsExactlyElementsOf(theirs);
    return ours;
  }
}
