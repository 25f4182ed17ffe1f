package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.testkit.SyslogServer;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped cronwrapper.sh, run by this machine's sh (dash, as in the image) against a stand-in
 * django-admin and a stand-in Django settings module; syslog is a socket the test reads.
 */
class CronWrapperTest {
  @TempDir Path home;
  Path wrapper;
  Path syslogSocket;

  @BeforeEach
  void install() throws Exception {
    Files.createDirectories(home.resolve("run"));
    Files.createDirectories(home.resolve("etc"));
    Files.createDirectories(home.resolve("logs"));
    Path bin = Files.createDirectories(home.resolve("venv/bin"));
    executable(bin.resolve("django-admin"), String.join("\n",
        "#!/bin/sh",
        "echo \"admin $* from=$FROM_CRON_ENV\" >> \"$HOME/admin.log\"",
        "case \"$1\" in",
        "  slow) sleep 30 & echo \"helper $!\" >> \"$HOME/admin.log\"; wait ;;",
        "  broken) echo 'Traceback: it broke'; exit 3 ;;",
        "  talk) echo 'line one'; echo 'line two' ;;",
        "esac",
        ""));
    Files.createSymbolicLink(bin.resolve("python"), Path.of("/usr/bin/python3"));
    Path django = Files.createDirectories(home.resolve("lib/django"));
    Files.writeString(django.resolve("__init__.py"), "");
    Files.writeString(django.resolve("conf.py"),
        "class _Settings:\n    ENVIRONMENT = 'staging'\n    FLEET_ID = 'blue'\nsettings = _Settings()\n");
    Files.writeString(home.resolve("etc/cron.env"),
        "export FROM_CRON_ENV='yes'\nexport PYTHONPATH='" + home.resolve("lib") + "'\n");
    wrapper = Files.write(home.resolve("cronwrapper.sh"), RunnerFiles.template("cronwrapper.sh"));
    syslogSocket = home.resolve("log.sock");
  }

  private static void executable(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> env = new java.util.TreeMap<>(Map.of("HOME", home.toString(),
        "VIRTUAL_ENV", home.resolve("venv").toString(), "PATH", "/usr/bin:/bin",
        "APP_NAME", "demo", "SYSLOG_SOCKET", syslogSocket.toString()));
    env.putAll(extra);
    return env;
  }

  /** The wrapper with {@code args}, in a clean environment: {@code env -i NAME=VALUE... sh ...}. */
  private List<String> command(Map<String, String> extra, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "-i"));
    environment(extra).forEach((name, value) -> command.add(name + "=" + value));
    command.addAll(List.of("sh", wrapper.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private Process start(String... args) throws Exception {
    Path out = Files.createTempFile(home, "out", ".log");
    return new ProcessBuilder(command(Map.of(), args)).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
  }

  private String run(int expectedStatus, String... args) throws Exception {
    return run(Map.of(), expectedStatus, args);
  }

  private String run(Map<String, String> env, int expectedStatus, String... args) throws Exception {
    Tools.Result result = Tools.run(command(env, args), null, Map.of(), Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(result.output()).isEqualTo(expectedStatus);
    return result.output();
  }

  private String adminLog() throws Exception {
    Path log = home.resolve("admin.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String cronLog() throws Exception {
    Path log = home.resolve("logs/cron.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void runsTheCommandWithTheCronEnvironmentAndSendsItsOutcomeAndOutputToSyslog() throws Exception {
    try (SyslogServer syslog = SyslogServer.listen(syslogSocket)) {
      assertThat(run(0, "--all", "talk", "--loud")).isEmpty();
      List<String> messages = syslog.await("the outcome", Duration.ofSeconds(10),
          m -> m.stream().anyMatch(line -> line.contains("line two")));
      assertThat(String.join("\n", messages))
          .containsPattern("<78>.*demo\\.cron\\.talk: talk --loud: succeeded in \\d+s")
          .containsPattern("<78>.*demo\\.cron\\.talk: line one")
          .containsPattern("<78>.*demo\\.cron\\.talk: line two");
    }
    assertThat(adminLog()).isEqualTo("admin talk --loud from=yes\n");
  }

  @Test
  void withoutASyslogSocketTheOutcomeGoesToTheLogFile() throws Exception {
    run(0, "--master", "talk");
    assertThat(cronLog()).containsPattern("Z demo\\.cron\\.talk info: talk: succeeded in \\d+s\n")
        .contains("demo.cron.talk info: line one\n", "demo.cron.talk info: line two\n");
  }

  @Test
  void aFailurePrintsTheOutputKeepsTheStatusAndIsLoggedAsAnError() throws Exception {
    try (SyslogServer syslog = SyslogServer.listen(syslogSocket)) {
      assertThat(run(3, "--all", "broken"))
          .contains("django-admin broken failed with status 3", "Traceback: it broke");
      assertThat(String.join("\n", syslog.await("the failure", Duration.ofSeconds(10),
          m -> m.stream().anyMatch(line -> line.contains("it broke")))))
          .containsPattern("<75>.*demo\\.cron\\.broken: broken: failed with status 3")
          .containsPattern("<75>.*demo\\.cron\\.broken: Traceback: it broke");
    }
  }

  @Test
  void environmentAndFleetComeFromTheVariablesElseFromTheDjangoSettings() throws Exception {
    run(0, "--all", "--environment", "staging", "--fleet", "blue", "from-settings");
    run(0, "--all", "--environment", "prod", "skipped-environment");
    run(0, "--all", "--environment", "staging", "--fleet", "green", "skipped-fleet");
    run(Map.of("APP_ENVIRONMENT", "prod"), 0, "--environment", "prod", "from-variable");
    run(Map.of("APP_FLEET", "green"), 0, "--environment", "staging", "--fleet", "blue",
        "skipped-by-variable");
    assertThat(adminLog()).isEqualTo("admin from-settings from=yes\nadmin from-variable from=yes\n");
    assertThat(cronLog()).contains(
        "skipped-environment skipped: the environment is 'staging', not 'prod'",
        "skipped-fleet skipped: the fleet is 'blue', not 'green'",
        "skipped-by-variable skipped: the fleet is 'green', not 'blue'");
  }

  @Test
  void anOverlappingRunIsSkippedAndKillPreviousEndsThePreviousProcessGroup() throws Exception {
    Process first = start("--all", "slow");
    long helper = awaitHelper(1);
    assertThat(run(0, "slow")).isEmpty();
    assertThat(cronLog()).containsPattern("slow skipped: the previous run \\(process group \\d+\\) "
        + "is still going");
    assertThat(first.isAlive()).isTrue();
    assertThat(run(0, "--kill-previous", "other")).isEmpty();

    Process second = start("--all", "--kill-previous", "slow");
    assertThat(first.waitFor(15, TimeUnit.SECONDS)).as("the first run was ended").isTrue();
    assertThat(first.exitValue()).isNotZero();
    for (int i = 0; i < 100 && running(helper); i++) {
      Thread.sleep(50);
    }
    assertThat(running(helper))
        .as("the first run's own child, in its process group, was ended too").isFalse();
    long secondHelper = awaitHelper(2);
    assertThat(cronLog()).containsPattern("slow: ending the previous run \\(process group \\d+\\)");
    assertThat(adminLog()).startsWith("admin slow from=yes\nhelper ")
        .contains("admin other from=yes\nadmin slow from=yes\nhelper ");
    ProcessHandle.of(secondHelper).ifPresent(ProcessHandle::destroy);
    assertThat(second.waitFor(15, TimeUnit.SECONDS)).isTrue();
  }

  /** Whether process {@code pid} runs (a zombie, dead but not yet reaped, does not). */
  private static boolean running(long pid) throws Exception {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.nio.file.NoSuchFileException gone) {
      return false;
    }
  }

  /** The pid of the stand-in's helper of the {@code n}th slow run, once it is written. */
  private long awaitHelper(int n) throws Exception {
    for (int i = 0; i < 200; i++) {
      List<String> helpers = adminLog().lines().filter(l -> l.startsWith("helper ")).toList();
      if (helpers.size() >= n) {
        return Long.parseLong(helpers.get(n - 1).substring("helper ".length()));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the slow run did not start:\n" + adminLog());
  }
}
