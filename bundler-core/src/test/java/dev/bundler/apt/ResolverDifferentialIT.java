package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.EventHandler;
import dev.bundler.testkit.Tools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver chooses the same (package, version) set as {@code apt-get install --simulate} on
 * an empty system with Recommends off, from this machine's configured Debian archive (fetched and
 * verified for real; apt reads the same sources into lists of its own).
 */
class ResolverDifferentialIT {
  static final List<String> RUNNER_ROOTS = List.of("python3.11", "nginx-light", "uwsgi-core",
      "uwsgi-plugin-python3", "supervisor", "cron", "bash", "tzdata", "ca-certificates");
  static final List<String> COMPILER_ROOTS = List.of("python3.11", "python3.11-dev",
      "build-essential", "python3-pip", "python3-setuptools", "python3-wheel", "libpq-dev");

  @TempDir static Path cache;
  static PackageIndex index;
  static Resolutions.Apt apt;

  @BeforeAll
  static void load() throws Exception {
    AptConfig config = AptConfig.of(null, "bookworm", List.of("main"), "amd64",
        AptConfig.DEBIAN_KEYRING, false, Path.of("/etc/apt"));
    index = new RepositoryLoader(cache, false, EventHandler.NONE, Instant.now()).load(config);
    assertThat(index.size()).isGreaterThan(30000);
    Tools.require("apt-get", "apt");
    apt = new Resolutions.Apt(cache.resolve("apt"), config);
  }

  @Test
  void runnerSetEqualsApt() throws Exception {
    compare(RUNNER_ROOTS);
  }

  @Test
  void compilerSetEqualsApt() throws Exception {
    compare(COMPILER_ROOTS);
  }

  private void compare(List<String> roots) throws Exception {
    Set<String> ours = Resolutions.ours(index, roots);
    Set<String> theirs = apt.simulate(roots);
    assertThat(theirs).hasSizeGreaterThan(50);
    assertThat(ours).containsExactlyElementsOf(theirs);
  }
}
