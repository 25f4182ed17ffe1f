package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped cronwrapper.sh, run by this machine's sh against a stand-in django-admin. */
class CronWrapperTest {
  @TempDir Path home;
  Path wrapper;

  @BeforeEach
  void install() throws Exception {
    Files.createDirectories(home.resolve("run"));
    Files.createDirectories(home.resolve("etc"));
    Path bin = Files.createDirectories(home.resolve("venv/bin"));
    Path admin = Files.writeString(bin.resolve("django-admin"), String.join("\n",
        "#!/bin/sh",
        "echo \"admin $* from=$FROM_CRON_ENV\" >> \"$HOME/admin.log\"",
        "case \"$1\" in",
        "  slow) sleep 30 ;;",
        "  broken) echo 'Traceback: it broke'; exit 3 ;;",
        "esac",
        ""));
    Files.setPosixFilePermissions(admin, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("etc/cron.env"), "export FROM_CRON_ENV='yes'\nexport APP_ENVIRONMENT='prod'\n");
    wrapper = Files.write(home.resolve("cronwrapper.sh"), RunnerFiles.template("cronwrapper.sh"));
  }

  private Process start(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", wrapper.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(Map.of("HOME", home.toString(), "VIRTUAL_ENV", home.resolve("venv").toString(),
        "PATH", "/usr/bin:/bin", "APP_NAME", "demo"));
    return builder.start();
  }

  private String run(int expectedStatus, String... args) throws Exception {
    Process process = start(args);
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(out).isEqualTo(expectedStatus);
    return out;
  }

  private String adminLog() throws Exception {
    Path log = home.resolve("admin.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void runsTheCommandWithTheCronEnvironmentWhereItsEnvironmentMatches() throws Exception {
    assertThat(run(0, "greet", "--loud")).contains("greet: succeeded");
    run(0, "--environment", "staging", "skipped-here");
    run(0, "--environment", "prod", "--fleet", "blue", "skipped-fleet");
    assertThat(adminLog()).isEqualTo("admin greet --loud from=yes\n");
    assertThat(home.resolve("run")).isEmptyDirectory();
  }

  @Test
  void aFailurePrintsTheOutputAndKeepsTheStatus() throws Exception {
    assertThat(run(3, "broken"))
        .contains("django-admin broken failed with status 3", "Traceback: it broke");
  }

  @Test
  void anOverlappingRunIsRefusedOrEndsTheOldOne() throws Exception {
    Process first = start("slow");
    Path pidfile = home.resolve("run/cron-slow.pid");
    for (int i = 0; i < 100 && !Files.exists(pidfile); i++) {
      Thread.sleep(50);
    }
    assertThat(run(0, "slow")).contains("skipped, the previous run");
    assertThat(first.isAlive()).isTrue();
    assertThat(run(0, "--kill-previous", "echo-only")).contains("echo-only: succeeded");
    Process second = start("--kill-previous", "slow");
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the first run was ended").isTrue();
    assertThat(new String(first.getInputStream().readAllBytes())).contains("failed with status");
    for (int i = 0; i < 100 && adminLog().lines().count() < 3; i++) {
      Thread.sleep(50);
    }
    if (Files.exists(pidfile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidfile).strip())).ifPresent(ProcessHandle::destroy);
    }
    second.destroy();
    assertThat(adminLog()).contains("admin slow from=yes\nadmin echo-only from=yes\nadmin slow from=yes\n");
  }
}
