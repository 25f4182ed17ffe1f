package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entrypoint's renderer (the Python part of the shipped entrypoint.sh, run by this machine's
 * Python 3.11 as the image's is): values are escaped for the file they go into, or refused with
 * the variable and the file named; the image tests run the rendered files in nginx and uWSGI.
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
}
