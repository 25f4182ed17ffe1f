package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.BundleRequest;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.image.ContainerConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A project's environment, ports, volumes and labels, added to the runner's image config as Jib
 * users set them, and refused where they would break the runner's contract.
 */
class ImageSettingsTest {
  static final RunnerLayout LAYOUT = new RunnerLayout("app", 1000, 33, "siteapp", "1.0", "3.11");
  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static ImageSettings settings(Map<String, String> environment, List<String> overrides,
      List<String> ports, List<String> volumes, Map<String, String> labels)
      throws InvalidInputException {
    return ImageSettings.of(environment, overrides, ports, volumes, labels, LAYOUT);
  }

  private static void assertRefused(Parameter parameter, String message, ThrowingSettings settings) {
    assertThatThrownBy(settings::get)
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(parameter))
        .hasMessageContaining(message);
  }

  @FunctionalInterface
  interface ThrowingSettings {
    ImageSettings get() throws InvalidInputException;
  }

  @Test
  void theProjectsSettingsComeAfterTheRunnersInAFixedOrder() throws Exception {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("ZONE", "eu");
    environment.put("GREETING_STYLE", "loud");
    ImageSettings settings = settings(environment, List.of(), List.of("9100-9102", "9000/tcp",
        "8080"), List.of("/data", "/home/app/logs", "/config"),
        Map.of("org.example.team", "ops", "org.opencontainers.image.description", "the site"));
    ContainerConfig config = LAYOUT.containerConfig(CREATED, settings);

    assertThat(List.copyOf(config.environment().keySet())).containsExactly("LANG", "HOME",
        "VIRTUAL_ENV", "PATH", "DJANGO_SETTINGS_MODULE", "SITEAPP_CONFIG", "APP_NAME",
        "APP_PACKAGE", "APP_VERSION", "PYTHON_VERSION", "GREETING_STYLE", "ZONE");
    assertThat(config.exposedPorts()).containsExactly(8080, 8081, 9000, 9100, 9101, 9102);
    assertThat(config.volumes()).containsExactly("/config", "/data", "/home/app/logs", "/media",
        "/scripts");
    assertThat(config.labels()).containsEntry("org.example.team", "ops")
        .containsEntry("org.opencontainers.image.description", "the site")
        .containsEntry("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
    assertThat(settings.warnings(LAYOUT)).containsExactly(
        Parameter.LABELS.named() + " replaces the runner's label org.opencontainers.image.description="
            + "siteapp 1.0 on Python 3.11, bundled by bundler");

    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("GREETING_STYLE", "loud");
    reversed.put("ZONE", "eu");
    assertThat(LAYOUT.containerConfig(CREATED, settings(reversed, List.of(),
        List.of("9000", "9102", "9101", "9100"), List.of("/home/app/logs", "/data"),
        Map.of("org.opencontainers.image.description", "the site", "org.example.team", "ops"))))
        .as("the same settings in another order give the same config").isEqualTo(config);
  }

  @Test
  void theRunnersOwnVariablesAreReplacedOnlyOnPurposeAndWithAWarning() throws Exception {
    assertRefused(Parameter.ENVIRONMENT, Parameter.ENVIRONMENT.named() + " sets DJANGO_SETTINGS_MODULE, which "
        + "the runner sets to siteapp.settings: to replace it on purpose, also list it in "
        + Parameter.OVERRIDE_ENVIRONMENT.named(), () -> settings(
            Map.of("DJANGO_SETTINGS_MODULE", "siteapp.prod"), List.of(), List.of(), List.of(),
            Map.of()));
    assertRefused(Parameter.ENVIRONMENT, Parameter.ENVIRONMENT.named() + " sets PATH", () -> settings(
        Map.of("PATH", "/usr/bin"), List.of(), List.of(), List.of(), Map.of()));

    ImageSettings settings = settings(Map.of("DJANGO_SETTINGS_MODULE", "siteapp.prod",
        "PATH", "/opt/tools:/usr/bin:/bin"), List.of("PATH", "DJANGO_SETTINGS_MODULE"), List.of(),
        List.of(), Map.of());
    ContainerConfig config = LAYOUT.containerConfig(CREATED, settings);
    assertThat(config.environment()).containsEntry("DJANGO_SETTINGS_MODULE", "siteapp.prod")
        .containsEntry("PATH", "/opt/tools:/usr/bin:/bin");
    assertThat(List.copyOf(config.environment().keySet()).indexOf("PATH")).isEqualTo(3);
    assertThat(settings.warnings(LAYOUT)).containsExactly(
Parameter.ENVIRONMENT.named() + " replaces the runner's DJANGO_SETTINGS_MODULE=siteapp.settings with "
            + "DJANGO_SETTINGS_MODULE=siteapp.prod, as " + Parameter.OVERRIDE_ENVIRONMENT.named() + " asks: the "
            + "entrypoint, cron jobs and the application all get the new value",
Parameter.ENVIRONMENT.named() + " replaces the runner's PATH=" + LAYOUT.environment().get("PATH")
            + " with PATH=/opt/tools:/usr/bin:/bin, as " + Parameter.OVERRIDE_ENVIRONMENT.named() + " asks: the "
            + "entrypoint, cron jobs and the application all get the new value",
        "The PATH " + Parameter.ENVIRONMENT.named() + " sets lacks /home/app/app/bin: django-admin and the "
            + "application's commands are then found only by their full path");
  }

  @Test
  void whatTheEntrypointReliesOnIsNeverReplaced() {
    for (String name : List.of("HOME", "VIRTUAL_ENV", "APP_PACKAGE", "PYTHON_VERSION",
        "SITEAPP_SERVICE")) {
      assertRefused(Parameter.ENVIRONMENT, Parameter.ENVIRONMENT.named() + " sets " + name + ", which the "
          + "runner sets itself", () -> settings(Map.of(name, "x"), List.of(), List.of(),
              List.of(), Map.of()));
    }
    assertRefused(Parameter.OVERRIDE_ENVIRONMENT, Parameter.OVERRIDE_ENVIRONMENT.named() + " names HOME, which "
        + "is not one of the runner's variables a project may replace", () -> settings(
            Map.of("HOME", "/root"), List.of("HOME"), List.of(), List.of(), Map.of()));
    assertRefused(Parameter.OVERRIDE_ENVIRONMENT, Parameter.OVERRIDE_ENVIRONMENT.named() + " names PATH but "
        + Parameter.ENVIRONMENT.named() + " gives it no value", () -> settings(Map.of(), List.of("PATH"),
            List.of(), List.of(), Map.of()));
    assertRefused(Parameter.ENVIRONMENT, "'1ST' is not an environment variable name",
        () -> settings(Map.of("1ST", "x"), List.of(), List.of(), List.of(), Map.of()));
  }

  @Test
  void portsAreTcpNumbersOrRanges() {
    for (String bad : List.of("http", "0", "70000", "9010-9000", "9000/tcp/udp")) {
      assertRefused(Parameter.PORTS, "'" + bad + "' is not a port", () -> settings(Map.of(),
          List.of(), List.of(bad), List.of(), Map.of()));
    }
    assertRefused(Parameter.PORTS, "bundler exposes TCP ports only", () -> settings(Map.of(),
        List.of(), List.of("5353/udp"), List.of(), Map.of()));
    assertRefused(Parameter.PORTS, "exposes more than 1000 ports", () -> settings(Map.of(),
        List.of(), List.of("1-2000"), List.of(), Map.of()));
  }

  @Test
  void volumesThatWouldKeepOldFilesAcrossUpgradesAreRefused() {
    for (String volume : List.of("/", "/home", "/home/app", "/home/app/app",
        "/home/app/app/lib", "/home/app/templates", "/usr", "/usr/local/bin", "/etc")) {
      assertRefused(Parameter.VOLUMES, "The volume " + volume + " would cover", () -> settings(
          Map.of(), List.of(), List.of(), List.of(volume), Map.of()));
    }
    for (String volume : List.of("data", "/data/", "/data/../etc", "/a//b", "/./x")) {
      assertRefused(Parameter.VOLUMES, "'" + volume + "' is not a volume", () -> settings(
          Map.of(), List.of(), List.of(), List.of(volume), Map.of()));
    }
  }

  @Test
  void labelsThatFollowTheBuildAreRefused() {
    assertRefused(Parameter.LABELS, "org.opencontainers.image.created, which follows the build "
        + "(set " + Parameter.CREATION_TIME, () -> settings(Map.of(), List.of(), List.of(), List.of(),
            Map.of("org.opencontainers.image.created", "yesterday")));
    assertRefused(Parameter.LABELS, "'a key' is not a label key", () -> settings(Map.of(),
        List.of(), List.of(), List.of(), Map.of("a key", "x")));
  }

  @Test
  void theRequestValidatesThemWhenItIsBuilt() {
    assertThatThrownBy(() -> BundleRequest.builder().packageSpec("siteapp==1.0")
        .environment(Map.of("DJANGO_SETTINGS_MODULE", "other.settings")).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("which the runner sets to siteapp.settings");
  }
}
