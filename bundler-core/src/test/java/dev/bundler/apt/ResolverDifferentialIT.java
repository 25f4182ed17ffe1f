package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.EventHandler;
import dev.bundler.testkit.Tools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver chooses the same (package, version) set as {@code apt-get install --simulate} on
 * an empty system with Recommends off, from this machine's configured Debian archive (fetched and
 * verified for real).
 */
class ResolverDifferentialIT {
  static final List<String> RUNNER_ROOTS = List.of("python3.11", "nginx-light", "uwsgi-core",
      "uwsgi-plugin-python3", "supervisor", "cron", "bash", "tzdata", "ca-certificates");
  static final List<String> COMPILER_ROOTS = List.of("python3.11", "python3.11-dev",
      "build-essential", "python3-pip", "python3-setuptools", "python3-wheel", "libpq-dev");

  @TempDir static Path cache;
  static PackageIndex index;

  @BeforeAll
  static void load() throws Exception {
    AptConfig config = AptConfig.of(null, "bookworm", List.of("main"), "amd64",
        AptConfig.DEBIAN_KEYRING, false, Path.of("/etc/apt"));
    index = new RepositoryLoader(cache, false, EventHandler.NONE, Instant.now()).load(config);
    assertThat(index.size()).isGreaterThan(30000);
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
    Tools.require("apt-get", "apt");
    List<Resolver.Root> requested = new ArrayList<>();
    for (String root : roots) {
      requested.add(new Resolver.Root(new Relation(root, null, null, null), "test"));
    }
    Set<String> ours = new TreeSet<>();
    for (BinaryPackage pkg : new Resolver(index, "amd64").resolve(requested)) {
      ours.add(pkg.name() + " " + pkg.version());
    }
    // apt reads lists fetched now, as bundler read the index: the machine's may be older.
    Path lists = java.nio.file.Files.createDirectories(cache.resolve("apt-lists/partial")).getParent();
    Tools.check(List.of("apt-get", "update", "-qq", "-o", "Dir::State::Lists=" + lists));
    List<String> command = new ArrayList<>(List.of("apt-get", "install", "--simulate",
        "-o", "Dir::State::Lists=" + lists,
        "-o", "Dir::State::status=/dev/null", "-o", "APT::Install-Recommends=false"));
    command.addAll(roots);
    Set<String> apt = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^Inst (\\S+) \\((\\S+) ").matcher(Tools.check(command));
    while (m.find()) {
      apt.add(m.group(1) + " " + m.group(2));
    }
    assertThat(apt).hasSizeGreaterThan(50);
    assertThat(ours).containsExactlyElementsOf(apt);
  }
}
