package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.BuildResult;
import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.testkit.DjangoSite;
import dev.bundler.testkit.Podman;
import dev.bundler.testkit.Scratch;
import dev.bundler.testkit.SyslogServer;
import dev.bundler.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner contract as operators use it, in podman, on an image bundler builds of a real
 * Django application ({@link DjangoSite}): the operator's settings reach si-service, django-admin,
 * pyscript and cron jobs; the seed's crontab runs and logs to a bind-mounted {@code /dev/log};
 * tini is PID 1, {@code podman stop} is quick and si-service stops gracefully; a FATAL program
 * ends the container; values pasted into nginx and uWSGI configs are escaped or refused; the
 * project's own environment, ports, volumes and labels are in the image.
 */
class RunnerContractIT {
  static final String BASE_REPORT = "name=from-operator greeting=from 90_site color=teal";

  @TempDir static Path temp;
  static BuildResult result;
  static Podman podman;
  static Path image;
  static Path config;
  static Path scripts;
  static final List<String> warnings = new CopyOnWriteArrayList<>();

  @AfterAll
  static void discard() throws Exception {
    podman.discardImages();
    Scratch.discard(Path.of("target", "runner-it-cache").toAbsolutePath(), podmanScript());
  }

  @BeforeAll
  static void build() throws Exception {
    DjangoSite.wheelhouse(temp.resolve("wheels"));
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line && line.level() == BundlerEvent.Level.WARN) {
        warnings.add(line.message());
      }
    };
    result = Bundler.create(events).build(BundleRequest.builder()
        .workingDirectory(temp)
        .packageSpec("siteapp==1.0")
        .wheelhouse("wheels")
        .outputDirectory(temp.resolve("out"))
        .cacheDirectory(Path.of("target", "runner-it-cache").toAbsolutePath())
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
        .environment(Map.of("GREETING_STYLE", "loud"))
        .ports(List.of("9000"))
        .volumes(List.of("/data"))
        .labels(Map.of("org.example.team", "ops"))
        .build());
    image = result.image().tarball();
    podman = Podman.create(Path.of("target", "podman").toAbsolutePath());

    config = Files.createDirectories(temp.resolve("config"));
    Files.createDirectories(config.resolve("si_config"));
    Files.createDirectories(config.resolve("www"));
    Files.writeString(config.resolve("si_config/20_ops.ini"),
        "[site]\ngreeting = from si_config\ncolor = teal\n");
    Files.writeString(config.resolve("90_site.ini"), "[app]\nname = from-operator\n"
        + "environment = prod\nfleet = blue\n[site]\ngreeting = from 90_site\n");
    Files.writeString(config.resolve("www/95_www.ini"), "[site]\ncolor = www-only\n");
    scripts = Files.createDirectories(temp.resolve("scripts"));
    Files.writeString(scripts.resolve("show.py"), String.join("\n",
        "import os, django",
        "django.setup()",
        "from siteapp.report import report",
        "print('pyscript in %s: %s' % (os.getcwd(), report()))",
        ""));
    Files.writeString(scripts.resolve("wait.py"), "import time\ntime.sleep(300)\n");
    Files.writeString(scripts.resolve("orphans.py"), String.join("\n",
        "import os, subprocess, time",
        "# Three processes outlive their parent: given to PID 1, they must be reaped as they end.",
        "subprocess.run(['sh', '-c', 'for i in 1 2 3; do sleep 0.5 & done'], check=True)",
        "time.sleep(2)",
        "zombies = 0",
        "for pid in filter(str.isdigit, os.listdir('/proc')):",
        "    with open('/proc/%s/stat' % pid) as f:",
        "        zombies += f.read().rsplit(')', 1)[1].split()[0] == 'Z'",
        "print('pid1=%s zombies=%d' % (open('/proc/1/comm').read().strip(), zombies))",
        ""));
  }

  private static List<String> mounts(Path configuration) {
    return List.of("-v", configuration + ":/config:ro", "-v", scripts + ":/scripts:ro");
  }

  private static String run(List<String> options, String... arguments) throws Exception {
    Tools.Result run = podman.runImage(image, options, List.of(arguments));
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run.output();
  }

  /** The body of {@code path} fetched through nginx inside container {@code name}, once it answers. */
  private static String fetch(String name, String path) throws Exception {
    String script = "import sys, urllib.request\n"
        + "r = urllib.request.urlopen('http://127.0.0.1:8080' + sys.argv[1], timeout=30)\n"
        + "print(r.status, r.headers.get('X-Settings', '-'), r.read().decode())\n";
    Tools.Result last = null;
    for (int i = 0; i < 150; i++) {
      last = podman.exec(name, List.of("python", "-c", script, path));
      if (last.exitCode() == 0) {
        return last.output();
      }
      Thread.sleep(300);
    }
    throw new AssertionError("si-service did not answer " + path + ":\n" + last.output() + "\n"
        + podman.podman(List.of("logs", name), Podman.TIMEOUT).output());
  }

  /** Waits until supervisord says nginx and uWSGI run again (uWSGI is RUNNING after 10 s up). */
  private static void awaitRunning(String name, String status) throws Exception {
    String last = "";
    for (int i = 0; i < 60; i++) {
      last = podman.exec(name, List.of("sh", "-c", status)).output();
      if (last.matches("(?s).*nginx\\s+RUNNING.*") && last.matches("(?s).*uwsgi\\s+RUNNING.*")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("nginx and uWSGI did not run again after kill -9:\n" + last);
  }

  private static double secondsToStop(String name) throws Exception {
    long start = System.nanoTime();
    String output = podman.check(List.of("stop", "--time", "10", name));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(output).doesNotContain("resorting to SIGKILL");
    return seconds;
  }

  private static String exitCode(String name) throws Exception {
    return podman.check(List.of("inspect", "--format", "{{.State.ExitCode}}", name)).strip();
  }

  @Test
  void theOperatorsSettingsWinForDjangoAdminAndPyscript() throws Exception {
    assertThat(run(mounts(config), "django-admin", "greet", "now"))
        .contains("greet now: " + BASE_REPORT + " service= files=20_ops.ini,"
            + "50_base_settings.ini,90_site.ini");
    assertThat(run(mounts(config), "pyscript", "show.py"))
        .contains("pyscript in /scripts: " + BASE_REPORT + " service= files=20_ops.ini,"
            + "50_base_settings.ini,90_site.ini");
    assertThat(run(List.of(), "django-admin", "greet"))
        .as("without the operator's files, the base settings")
        .contains("greet : name=siteapp greeting=unset color=unset service= "
            + "files=50_base_settings.ini");
    assertThat(run(List.of(), "printenv", "SITEAPP_CONFIG")).isEqualTo("/home/app/django_config/*.ini\n");
  }

  @Test
  void siServiceServesTheOperatorsSettingsSurvivesKillsAndStopsGracefully() throws Exception {
    String name = "runner-si-service";
    try (SyslogServer syslog = SyslogServer.listen(temp.resolve("service-log.sock"))) {
      List<String> options = new ArrayList<>(mounts(config));
      options.addAll(List.of("-v", syslog.socket() + ":/dev/log"));
      podman.start(name, image, options, List.of("si-service", "www"));
      assertThat(fetch(name, "/")).isEqualTo("200 - site " + BASE_REPORT.replace("teal",
          "www-only") + " service=www files=20_ops.ini,50_base_settings.ini,90_site.ini,"
          + "95_www.ini uwsgi-service=www\n");
      syslog.await("uWSGI's log", Duration.ofSeconds(30),
          m -> m.stream().anyMatch(line -> line.contains("siteapp-www") && line.contains("GET /")));
      assertThat(podman.exec(name, List.of("cat", "/proc/1/comm")).output()).isEqualTo("tini\n");

      String status = "supervisorctl -c /home/app/etc/supervisord.conf status";
      podman.exec(name, List.of("sh", "-c",
          "kill -9 $(cat ~/run/uwsgi.pid) $(cat ~/run/nginx.pid)"));
      awaitRunning(name, status);
      assertThat(fetch(name, "/")).startsWith("200 - site ");

      CompletableFuture<Tools.Result> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return podman.exec(name, List.of("python", "-c", "import urllib.request\n"
              + "print(urllib.request.urlopen('http://127.0.0.1:8080/slow/').read().decode())"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(1500);
      double seconds = secondsToStop(name);
      assertThat(slow.get(30, TimeUnit.SECONDS).output())
          .as("the request in flight was finished").contains("slow request done");
      assertThat(seconds).as("si-service stopped well within podman's 10 s").isLessThan(7.5);
      assertThat(exitCode(name)).isEqualTo("0");
      assertThat(podman.check(List.of("logs", name)))
          .contains("stopped: nginx (exit status 0)", "stopped: uwsgi (exit status 0)");
      assertThat(syslog.messages()).anyMatch(line -> line.contains("graceful shutdown triggered"));
    } finally {
      podman.remove(name);
    }
  }

  @Test
  void aProgramThatGoesFatalEndsTheContainerWithStatus70() throws Exception {
    String uwsgi = new String(RunnerFiles.template("uwsgi.ini"), StandardCharsets.UTF_8);
    Path brokenUwsgi = Files.createDirectories(temp.resolve("config-fatal-uwsgi"));
    Files.writeString(brokenUwsgi.resolve("uwsgi.ini"),
        uwsgi.replace("{{APP_PACKAGE}}.wsgi", "nosuchmodule.wsgi"));
    Tools.Result run = podman.runToExit("runner-fatal-uwsgi", image, mounts(brokenUwsgi),
        List.of("si-service", "www"), Duration.ofMinutes(3));
    assertThat(run.exitCode()).as(run.output()).isEqualTo(70);
    assertThat(run.output()).contains("si-service: using the operator's /config/uwsgi.ini",
        "uwsgi entered FATAL state", "si-service: uwsgi went FATAL");

    String nginx = new String(RunnerFiles.template("nginx.conf"), StandardCharsets.UTF_8);
    Path brokenNginx = Files.createDirectories(temp.resolve("config-fatal-nginx/www"));
    Files.writeString(brokenNginx.resolve("nginx.conf"),
        nginx.replace("listen 8080;", "listen 8080 no-such-parameter;"));
    run = podman.runToExit("runner-fatal-nginx", image, mounts(brokenNginx.getParent()),
        List.of("si-service", "www"), Duration.ofMinutes(3));
    assertThat(run.exitCode()).as(run.output()).isEqualTo(70);
    assertThat(run.output()).contains("si-service: using the operator's /config/www/nginx.conf",
        "si-service: nginx went FATAL");
  }

  @Test
  void everyCommandRunsUnderTiniStopsAtOnceAndHasItsZombiesReaped() throws Exception {
    assertThat(run(mounts(config), "pyscript", "orphans.py")).contains("pid1=tini zombies=0");
    List<List<String>> commands = List.of(List.of("django-admin", "snooze", "300"),
        List.of("pyscript", "wait.py"), List.of("shell"), List.of("sleep", "300"));
    for (List<String> command : commands) {
      String name = "runner-stop-" + command.get(0);
      try {
        podman.start(name, image, List.of("--tty", "-v", scripts + ":/scripts:ro"), command);
        Thread.sleep(2000);
        assertThat(podman.exec(name, List.of("cat", "/proc/1/comm")).output()).isEqualTo("tini\n");
        assertThat(secondsToStop(name)).as("podman stop of %s", command).isLessThan(3);
      } finally {
        podman.remove(name);
      }
    }
  }

  @Test
  void cronRunsTheSeedsCrontabWithTheOperatorsSettingsAndLogsToDevLog() throws Exception {
    String name = "runner-cron";
    try (SyslogServer syslog = SyslogServer.listen(temp.resolve("cron-log.sock"))) {
      List<String> options = new ArrayList<>(List.of("--user", "root", "-v",
          syslog.socket() + ":/dev/log"));
      options.addAll(mounts(config));
      podman.start(name, image, options, List.of("cron"));
      List<String> messages = syslog.await("the jobs' outcomes", Duration.ofSeconds(150),
          m -> m.stream().anyMatch(line -> line.contains("fleet from-settings of prod/blue"))
              && m.stream().anyMatch(line -> line.contains("greet from-cron: name="))
              && m.stream().anyMatch(line -> line.contains("CommandError: it broke")));
      String log = String.join("\n", messages);
      assertThat(log)
          .contains("siteapp.cron.greet: greet from-cron: " + BASE_REPORT)
          .containsPattern("siteapp\\.cron\\.greet: greet from-cron: succeeded in \\d+s")
          .contains("siteapp.cron.fleet: fleet from-settings of prod/blue: " + BASE_REPORT)
          .contains("siteapp.cron.fleet: fleet never-here skipped: the environment is 'prod', "
              + "not 'elsewhere'")
          .containsPattern("<75>.*siteapp\\.cron\\.fail: fail: failed with status 1")
          .doesNotContain("fleet never-here of");
      assertThat(podman.exec(name, List.of("stat", "-c", "%a %U", "/etc/cron.d/app")).output())
          .isEqualTo("600 root\n");
    } finally {
      podman.remove(name);
    }
  }

  @Test
  void valuesPastedIntoNginxAndUwsgiAreEscapedOrRefused() throws Exception {
    String nginx = new String(RunnerFiles.template("nginx.conf"), StandardCharsets.UTF_8);
    Path operator = Files.createDirectories(temp.resolve("config-escaping"));
    Files.writeString(operator.resolve("nginx.conf"), nginx.replace("server_name _;",
        "server_name _;\n    add_header X-Settings \"{{CONFIG}}\" always;"));
    String awkward = "/home/app/django_config/\"quoted\" \\*.ini";
    String name = "runner-escaping";
    try {
      podman.start(name, image, List.of("-e", "SITEAPP_CONFIG=" + awkward, "-v",
          operator + ":/config:ro"), List.of("si-service", "www"));
      assertThat(fetch(name, "/")).startsWith("200 " + awkward + " site name= ");
    } finally {
      podman.remove(name);
    }
    Tools.Result refused = podman.runToExit("runner-refused", image, List.of("-e",
        "SITEAPP_CONFIG=/srv/$(HOME)/*.ini"), List.of("si-service", "www"), Podman.TIMEOUT);
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("CONFIG='/srv/$(HOME)/*.ini' cannot be written into "
        + "/home/app/etc/uwsgi.ini: uWSGI expands '$(' in its options");
  }

  @Test
  void theImageCarriesTheProjectsEnvironmentPortsVolumesAndLabels() throws Exception {
    Tools.require("skopeo", "skopeo");
    JsonNode config = new ObjectMapper().readTree(Tools.check(List.of("skopeo", "inspect",
        "--config", "oci-archive:" + image))).get("config");
    List<String> env = new ArrayList<>();
    config.get("Env").forEach(e -> env.add(e.asText()));
    assertThat(env).contains("GREETING_STYLE=loud", "DJANGO_SETTINGS_MODULE=siteapp.settings",
        "SITEAPP_CONFIG=/home/app/django_config/*.ini");
    List<String> ports = new ArrayList<>();
    config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "9000/tcp");
    List<String> volumes = new ArrayList<>();
    config.get("Volumes").fieldNames().forEachRemaining(volumes::add);
    assertThat(volumes).containsExactlyInAnyOrder("/config", "/data", "/media", "/scripts");
    assertThat(config.get("Labels").get("org.example.team").asText()).isEqualTo("ops");
    assertThat(run(List.of(), "printenv", "GREETING_STYLE")).isEqualTo("loud\n");
    assertThat(warnings).isEmpty();
  }

  @Test
  void theReadmesRunLineWorksWithTheShippedPodmanScript() throws Exception {
    Path script = Path.of("..", "scripts", "podman.sh").toAbsolutePath().normalize();
    Tools.Result run = Tools.run(List.of("bash", script.toString(), "run", "--rm", "--quiet",
        "--network", "none", "oci-archive:" + image, "django-admin", "--version"), null,
        Map.of("BUNDLER_PODMAN_DIR", podmanScript().toString()),
        Podman.TIMEOUT);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).isEqualTo("3.2.25\n");
  }

  /** The storage of the podman the shipped script runs (BUNDLER_PODMAN_DIR). */
  private static Path podmanScript() {
    return Path.of("target", "podman-script").toAbsolutePath();
  }
}
