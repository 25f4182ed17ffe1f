package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint's renderer (the Python part of the shipped entrypoint.sh, run by this machine's
 * Python 3.11 as the image's is): values are escaped for the file they go into, or refused with
 * the variable and the file named; the image tests run the rendered files in nginx and uWSGI.
 * The settings the entrypoint renders at every start are rendered by the shell itself (this
 * machine's dash, as the image's {@code /bin/sh}): the same bytes as Python's, and Python's
 * answer wherever the shell cannot tell.
 */
class TemplateRenderingTest {
  @TempDir Path temp;
  int renders;

  private static String renderer() {
    String entrypoint = new String(RunnerFiles.template("entrypoint.sh"), StandardCharsets.UTF_8);
    int start = entrypoint.indexOf("<<'PY'\n") + "<<'PY'\n".length();
    return entrypoint.substring(start, entrypoint.indexOf("\nPY\n", start));
  }

  private Tools.Result render(String template, String format, Map<String, String> values)
      throws Exception {
    renders++;
    Path source = Files.writeString(temp.resolve("template"), template);
    Path script = Files.writeString(temp.resolve("render.py"), renderer());
    Map<String, String> env = new TreeMap<>(values);
    List<String> command = new java.util.ArrayList<>(List.of("env", "-i"));
    env.forEach((name, value) -> command.add(name + "=" + value));
    command.addAll(List.of("/usr/bin/python3", script.toString(), source.toString(),
        output(format).toString(), format));
    return Tools.run(command, null, Map.of(), Duration.ofSeconds(30));
  }

  private String rendered(String template, String format, Map<String, String> values)
      throws Exception {
    Tools.Result result = render(template, format, values);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return Files.readString(output(format));
  }

  private String refused(String template, String format, Map<String, String> values)
      throws Exception {
    Tools.Result result = render(template, format, values);
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(output(format)).doesNotExist();
    assertThat(output(format).resolveSibling(output(format).getFileName() + ".tmp")).doesNotExist();
    return result.output();
  }

  private Path output(String format) {
    return temp.resolve("out" + renders + "." + format);
  }

  @Test
  void nginxValuesAreEscapedInsideTheirQuotesAndADollarIsRefused() throws Exception {
    assertThat(rendered("alias \"{{STATIC_ROOT}}/\";\n", "nginx",
        Map.of("STATIC_ROOT", "/srv/a \"quoted\" \\dir")))
        .isEqualTo("alias \"/srv/a \\\"quoted\\\" \\\\dir/\";\n");
    assertThat(refused("pid \"{{RUN}}/nginx.pid\";\n", "nginx", Map.of("RUN", "/run/$host")))
        .contains("RUN='/run/$host' cannot be written into " + output("nginx"),
            "nginx reads '$' as a variable");
  }

  @Test
  void uwsgiExpansionsAndSurroundingSpacesAreRefused() throws Exception {
    assertThat(rendered("env = X={{CONFIG}}\n", "uwsgi",
        Map.of("CONFIG", "/home/app/django_config/*.ini")))
        .isEqualTo("env = X=/home/app/django_config/*.ini\n");
    for (String value : List.of("/x/$(HOME)", "@(/etc/shadow)", "/x/%(chdir)", "50%n", " /lead")) {
      assertThat(refused("env = X={{CONFIG}}\n", "uwsgi", Map.of("CONFIG", value)))
          .contains("CONFIG=", "cannot be written into", "change that value");
    }
  }

  @Test
  void supervisorValuesDoubleTheirPercentAndMayNotHoldSpacesOrComments() throws Exception {
    assertThat(rendered("command = uwsgi --ini {{ETC}}/uwsgi.ini\n", "supervisor",
        Map.of("ETC", "/home/app/100%/etc")))
        .isEqualTo("command = uwsgi --ini /home/app/100%%/etc/uwsgi.ini\n");
    assertThat(refused("command = uwsgi --ini {{ETC}}/uwsgi.ini\n", "supervisor",
        Map.of("ETC", "/home/my app/etc"))).contains("supervisord splits its commands");
  }

  @Test
  void aNewLineNeverStartsAnOptionButTheEntrypointsOwnLinesAreKept() throws Exception {
    for (String format : List.of("nginx", "uwsgi", "supervisor", "ini")) {
      assertThat(refused("name = {{APP_NAME}}\n", format, Map.of("APP_NAME", "x\nplugins = evil")))
          .contains("control character");
    }
    assertThat(rendered("[uwsgi]\n{{SYSLOG_LOGGER}}\n", "uwsgi",
        Map.of("SYSLOG_LOGGER", "plugins = syslog\nlogger = syslog:demo-www")))
        .isEqualTo("[uwsgi]\nplugins = syslog\nlogger = syslog:demo-www\n");
    assertThat(rendered("{{EXPORTED_ENVIRONMENT}}\n", "raw",
        Map.of("EXPORTED_ENVIRONMENT", "export A='1\n2'"))).isEqualTo("export A='1\n2'\n");
  }

  @Test
  void anUnknownPlaceholderIsRefusedAndTheEntrypointNeitherEvalsNorEditsTheSystem()
      throws Exception {
    assertThat(refused("listen {{PORT}};\n", "nginx", Map.of()))
        .contains("uses unknown placeholders: PORT");
    String entrypoint = new String(RunnerFiles.template("entrypoint.sh"), StandardCharsets.UTF_8);
    assertThat(entrypoint.lines().filter(line -> !line.strip().startsWith("#")))
        .noneMatch(line -> line.matches(".*\\beval\\b.*"))
        .as("cron's PAM configuration is the image's, made at build time")
        .noneMatch(line -> line.contains("sed -i") || line.contains("/etc/pam.d"));
  }

  private static final String TRICKY = "a {{{APP_NAME}}} b {{ APP_NAME }} {{lower}} {{9X}}\n"
      + "\n  lead {{CONFIG}} \\ % $ * \"'{{SETTINGS}}{{LOGS}}}} {{APP_NAME\n"
      + "{{CONFIG_VARIABLE}}={{STATIC_ROOT}} {{SERVICE}}.\n"
      + "last {{APP_VERSION}} {{";

  /** Runs the shipped entrypoint with {@code true} as its command, as a container start does. */
  private Tools.Result start(String settingsTemplate, boolean python, Map<String, String> extra)
      throws Exception {
    Path home = temp.resolve("home" + ++renders);
    Files.createDirectories(home.resolve("templates"));
    Files.writeString(home.resolve("templates/settings.ini"), settingsTemplate);
    Path venv = Files.createDirectories(home.resolve("venv/bin"));
    if (python) {
      Files.writeString(venv.resolve("python"), "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n");
      assertThat(venv.resolve("python").toFile().setExecutable(true)).isTrue();
    }
    Path entrypoint = Files.write(temp.resolve("entrypoint.sh"), RunnerFiles.template("entrypoint.sh"));
    List<String> command = new java.util.ArrayList<>(List.of("env", "-i",
        "HOME=" + home, "VIRTUAL_ENV=" + home.resolve("venv"), "PATH=/usr/bin:/bin"));
    startEnvironment().forEach((name, value) -> command.add(name + "=" + value));
    extra.forEach((name, value) -> command.add(name + "=" + value));
    command.addAll(List.of("/bin/sh", entrypoint.toString(), "true"));
    return Tools.run(command, null, Map.of(), Duration.ofSeconds(30));
  }

  private static Map<String, String> startEnvironment() {
    return Map.of("APP_NAME", "My \\ \"App\" 100% $HOME *{{APP_VERSION}}", "APP_PACKAGE", "my-app_2x",
        "APP_VERSION", "1.0rc1", "PYTHON_VERSION", "3.11");
  }

  /** What the entrypoint hands Python for the settings of a start in {@code home}. */
  private static Map<String, String> pythonValues(Path home) {
    Map<String, String> values = new LinkedHashMap<>(startEnvironment());
    values.put("ETC", home + "/etc");
    values.put("LOGS", home + "/logs");
    values.put("RUN", home + "/run");
    values.put("TEMPLATES", home + "/templates");
    values.put("SETTINGS", home + "/django_config");
    values.put("SERVICE", "");
    values.put("SERVICE_VARIABLE", "MY-APP_2X_SERVICE");
    values.put("CONFIG_VARIABLE", "MY-APP_2X_CONFIG");
    values.put("CONFIG", home + "/django_config/*.ini");
    values.put("PYTHON_PLUGIN", "python311");
    values.put("STATIC_ROOT", home + "/venv/lib/python3.11/site-packages/my-app_2x/static");
    values.put("HOME", home.toString());
    values.put("VIRTUAL_ENV", home + "/venv");
    return values;
  }

  @Test
  void theShellRendersTheSettingsAsPythonDoesWithoutStartingIt() throws Exception {
    String shipped = new String(RunnerFiles.template("settings.ini"), StandardCharsets.UTF_8);
    for (String template : List.of(shipped, TRICKY, TRICKY + "\n", "", "\n\n")) {
      Tools.Result result = start(template, false, Map.of());
      Path home = temp.resolve("home" + renders);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).as("no Python in this virtualenv: the shell rendered it")
          .doesNotContain("going on without them");
      Path settings = home.resolve("django_config/50_base_settings.ini");
      assertThat(settings).as(result.output()).exists();
      assertThat(Files.readString(settings)).as("the template %s", template)
          .isEqualTo(rendered(template, "ini", pythonValues(home)));
    }
  }

  @Test
  void whatTheShellCannotTellIsLeftToPython() throws Exception {
    Tools.Result other = start("module = {{DJANGO_SETTINGS_MODULE}}\n", true,
        Map.of("DJANGO_SETTINGS_MODULE", "demo.settings"));
    assertThat(other.exitCode()).as(other.output()).isZero();
    assertThat(temp.resolve("home" + renders + "/django_config/50_base_settings.ini"))
        .hasContent("module = demo.settings\n");

    for (Map.Entry<String, String> refused : Map.of(
        "name = {{APP_NAME}}\n", "control character", "port = {{PORT}}\n", "unknown placeholders: PORT")
        .entrySet()) {
      Tools.Result result = start(refused.getKey(), true,
          Map.of("APP_NAME", "x\nplugins = evil"));
      assertThat(result.exitCode()).as("the command still runs").isZero();
      assertThat(result.output()).contains(refused.getValue(), "going on without them");
      assertThat(temp.resolve("home" + renders + "/django_config")).isEmptyDirectory();
    }
  }
}
