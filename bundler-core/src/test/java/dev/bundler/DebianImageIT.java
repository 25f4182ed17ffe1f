package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.testkit.Podman;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image on the Debian base bundler builds from the machine's configured archive, without dpkg
 * or a container, runs in podman: Python with ssl, sqlite3 and the linker cache, nginx, uwsgi,
 * supervisord, dpkg's database, users and a CA bundle.
 */
class DebianImageIT {
  @TempDir static Path temp;
  static BuildResult result;
  static Podman podman;
  static List<String> log = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    wheel("demo", "1.0").file("demo/__init__.py", "def main(): print('demo ran')\n")
        .file("demo/wsgi.py", String.join("\n",
            "import os",
            "def application(environ, start_response):",
            "    start_response('200 OK', [('Content-Type', 'text/plain')])",
            "    body = 'demo says hello: service=%s path=%s settings=%s' % (",
            "        os.environ['DEMO_SERVICE'], environ['PATH_INFO'], os.environ['DEMO_CONFIG'])",
            "    return [body.encode()]",
            ""))
        .file("demo/static/site.css", "body { color: teal }\n")
        .file("demo/crontab", "* * * * * cronwrapper.sh greet --loud\n"
            + "* * * * * cronwrapper.sh --environment elsewhere greet --never\n")
        .file("demo/admin.py", String.join("\n",
            "import os, pwd, sys",
            "def main():",
            "    with open(os.path.expanduser('~/logs/admin.log'), 'a') as log:",
            "        log.write('admin %s as %s config=%s\\n' % (' '.join(sys.argv[1:]),",
            "            pwd.getpwuid(os.getuid()).pw_name, os.environ.get('DEMO_CONFIG')))",
            ""))
        .entryPoints("[console_scripts]\ndemo = demo:main\ndjango-admin = demo.admin:main\n")
        .writeTo(temp.resolve("wheels"));
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line) {
        log.add(line.message());
      }
    };
    result = Bundler.create(events).build(BundleRequest.builder()
        .workingDirectory(temp)
        .packageSpec("demo==1.0")
        .wheelhouse("wheels")
        .outputDirectory(temp.resolve("out"))
        .cacheDirectory(temp.resolve("cache"))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build());
    podman = Podman.create(Path.of("target", "podman").toAbsolutePath());
  }

  @AfterAll
  static void discard() throws Exception {
    podman.discardImages();
  }

  private String run(String... command) throws Exception {
    return podman.run(result.image().tarball(), List.of(command));
  }

  @Test
  void pythonFindsItsLibrariesAndCertificates() throws Exception {
    String out = run("/home/app/app/bin/python", "-c",
        "import ssl, sqlite3, ctypes.util; print(ctypes.util.find_library('ssl')); "
            + "print(ssl.create_default_context().cert_store_stats()['x509_ca'] > 100); "
            + "print(sqlite3.sqlite_version)");
    assertThat(out).contains("libssl.so.3", "True");
    assertThat(run("demo")).contains("demo ran");
  }

  @Test
  void servicesRun() throws Exception {
    assertThat(run("uwsgi", "--version")).containsPattern("2\\.0\\.\\d+");
    assertThat(run("supervisord", "--version")).containsPattern("4\\.\\d+");
    assertThat(podman.runAsRoot(result.image().tarball(), List.of("nginx", "-t")))
        .contains("syntax is ok", "test is successful");
  }

  @Test
  void siServiceServesTheApplicationThroughNginxAndUwsgiUnderSupervisord() throws Exception {
    String fetch = "import urllib.request, sys\n"
        + "for path in sys.argv[1:]:\n"
        + "    r = urllib.request.urlopen('http://127.0.0.1:8080' + path, timeout=2)\n"
        + "    print(r.status, r.headers['Server'], r.read().decode().strip())\n";
    String out = run("sh", "-c", String.join("\n",
        "mkdir -p /config/www && printf '[app]\\nname = from-operator\\n' > /config/www/settings.ini",
        "bundler-entrypoint si-service www > /tmp/service.log 2>&1 &",
        "for i in $(seq 1 150); do",
        "  if python -c \"$0\" /hello/ /static/site.css 2>/dev/null; then",
        "    grep -h name $HOME/django_config/*.ini",
        "    for j in $(seq 1 60); do",
        "      supervisorctl -c $HOME/etc/supervisord.conf status > /tmp/status",
        "      [ \"$(grep -c RUNNING /tmp/status)\" -eq 3 ] && break; sleep 0.5",
        "    done; cat /tmp/status; exit 0",
        "  fi",
        "  sleep 0.2",
        "done",
        "cat /tmp/service.log; exit 1"), fetch);
    assertThat(out)
        .contains("200 nginx demo says hello: service=www path=/hello/")
        .contains("settings=/home/app/django_config/*.ini")
        .contains("200 nginx body { color: teal }")
        .contains("name = from-operator")
        .containsPattern("nginx\\s+RUNNING")
        .containsPattern("uwsgi\\s+RUNNING");
  }

  @Test
  void cronRunsThePackagesCrontabAsTheApplicationUserThroughTheWrapper() throws Exception {
    assertThat(run("sh", "-c", "bundler-entrypoint cron; echo status=$?"))
        .contains("needs root", "--user root", "status=77");
    String out = podman.runAsRoot(result.image().tarball(), List.of("sh", "-c", String.join("\n",
        "bundler-entrypoint cron > /tmp/cron.log 2>&1 &",
        "for i in $(seq 1 75); do [ -s /home/app/logs/admin.log ] && break; sleep 1; done",
        "sleep 1; cat /home/app/logs/admin.log; cat /tmp/cron.log",
        "stat -c '%a %U' /home/app/etc/cron.env /var/spool/cron/crontabs/app")));
    assertThat(out)
        .contains("admin greet --loud as app config=/home/app/django_config/*.ini")
        .doesNotContain("--never")
        .contains("600 app\n600 app");
  }

  @Test
  void dpkgAndUsersAreInPlace() throws Exception {
    String packages = run("dpkg", "-l");
    assertThat(packages).contains("ii  python3.11", "ii  nginx-light", "ii  bash", "ii  coreutils");
    assertThat(run("id", "www-data")).contains("uid=33(www-data)");
    assertThat(run("id")).contains("uid=1000(app) gid=33(www-data)");
    assertThat(run("sh", "-c", "readlink -f /usr/bin/uwsgi; readlink /bin; ls /etc/ssl/certs/ca-certificates.crt"))
        .contains("/usr/bin/uwsgi-core", "usr/bin", "/etc/ssl/certs/ca-certificates.crt");
  }

  @Test
  void theSbomListsWhatDpkgAndPythonSeeInTheImage() throws Exception {
    com.fasterxml.jackson.databind.JsonNode bom = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(result.imageJson().resolveSibling("sbom.cdx.json").toFile());
    java.util.Set<String> debs = new java.util.TreeSet<>();
    java.util.Set<String> dists = new java.util.TreeSet<>();
    bom.get("components").forEach(c -> {
      String purl = c.get("purl").asText();
      String entry = c.get("name").asText() + " " + c.get("version").asText();
      (purl.startsWith("pkg:deb/") ? debs : dists).add(purl.startsWith("pkg:pypi/")
          ? dev.bundler.python.Names.normalize(c.get("name").asText()) + " " + c.get("version").asText()
          : entry);
    });
    java.util.Set<String> dpkg = new java.util.TreeSet<>(
        run("dpkg-query", "-W", "-f", "${Package} ${Version}\\n").lines().toList());
    assertThat(debs).hasSizeGreaterThan(100).isEqualTo(dpkg);
    java.util.Set<String> python = new java.util.TreeSet<>(run("/home/app/app/bin/python", "-c",
        "import importlib.metadata as m, re\n"
            + "for d in m.distributions(): "
            + "print(re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(), d.version)").lines().toList());
    assertThat(dists).containsExactly("demo 1.0").isEqualTo(python);
  }

  @Test
  void aSecondBuildUsesTheCache() throws Exception {
    List<String> second = new CopyOnWriteArrayList<>();
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line) {
        second.add(line.message());
      }
      if (event instanceof BundlerEvent.Progress progress && progress.task().startsWith("Downloading")) {
        second.add("DOWNLOAD " + progress.task());
      }
    };
    BuildResult again = Bundler.create(events).build(BundleRequest.builder()
        .workingDirectory(temp).packageSpec("demo==1.0").wheelhouse("wheels")
        .outputDirectory(temp.resolve("out2")).cacheDirectory(temp.resolve("cache"))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z")).build());
    assertThat(again.image().imageDigest()).isEqualTo(result.image().imageDigest());
    assertThat(second).noneMatch(line -> line.startsWith("DOWNLOAD"));
    assertThat(second).as("the resolution is cached: no index is read")
        .noneMatch(line -> line.startsWith("Reading the Debian package index"))
        .anyMatch(line -> line.startsWith("Resolved 1"));
  }

  @Test
  void aPythonOrPackageTheSuiteLacksIsRefusedNamingTheParameter() {
    BundleRequest.Builder request = BundleRequest.builder()
        .workingDirectory(temp).packageSpec("demo==1.0").wheelhouse("wheels")
        .outputDirectory(temp.resolve("out3")).cacheDirectory(temp.resolve("cache"));
    assertThatThrownBy(() -> Bundler.create(EventHandler.NONE).plan(request.python("3.9")
            .debian(DebianSettings.defaults().withSuite("bookworm")).build()))
        .as("3.9 on bookworm, named: refused; alone 3.9 would pick bullseye")
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(Parameter.referencedIn(e.getMessage())).contains(Parameter.PYTHON))
        .hasMessageContaining("Debian bookworm has no Python 3.9")
        .hasMessageContaining("python3.11");
    DebianSettings defaults = DebianSettings.defaults();
    DebianSettings unknown = new DebianSettings(defaults.suite(), defaults.mirror(),
        defaults.components(), defaults.keyring(), false, List.of("no-such-package-here"), true,
        false, List.of(), defaults.updatePolicy(), false, false);
    assertThatThrownBy(() -> Bundler.create(EventHandler.NONE)
            .plan(request.python("3.11").debian(unknown).build()))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(Parameter.referencedIn(e.getMessage()))
            .contains(Parameter.RUNTIME_PACKAGES))
        .hasMessageContaining("no-such-package-here");
    assertThat(temp.resolve("out3")).doesNotExist();
  }
}
