package dev.bundler.runner;

import dev.bundler.BundleRequest;
import dev.bundler.image.ContainerConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where things live in the runner image and how it is started: the application user's home with
 * the virtualenv ({@code ~/app}), the application's settings directory ({@code ~/django_config},
 * as the seed named it), rendered runtime config ({@code ~/etc}), templates, logs and run files;
 * the environment every command sees; ports, volumes and the entrypoint.
 *
 * @param user the unprivileged application user
 * @param uid its numeric id
 * @param gid its numeric group ({@code www-data})
 * @param distribution the application's distribution name, as given
 * @param version the application's version
 * @param python the Python version, {@code MAJOR.MINOR}
 */
public record RunnerLayout(
    String user, int uid, int gid, String distribution, String version, String python) {

  /** Where the entrypoint script is installed. */
  public static final String ENTRYPOINT = "/usr/local/bin/bundler-entrypoint";

  /** The base settings' file name in the settings directory (the seed's name). */
  public static final String BASE_SETTINGS = "50_base_settings.ini";

  /** The ports every runner image exposes: nginx's 8080, and 8081. */
  public static final Set<Integer> PORTS = Set.of(8080, 8081);

  /** The volumes of every runner image: the operator's config, scripts and media. */
  public static final Set<String> VOLUMES = Set.of("/config", "/scripts", "/media");

  public static RunnerLayout of(BundleRequest request) {
    return new RunnerLayout(
        request.appUser(),
        request.appUid(),
        request.appGid(),
        request.application().name(),
        request.application().version(),
        request.python());
  }

  public String home() {
    return "/home/" + user;
  }

  /** The virtualenv the application is installed into. */
  public String venv() {
    return home() + "/app";
  }

  /**
   * The application's settings directory: the entrypoint renders the base settings into it as
   * {@value #BASE_SETTINGS} and copies the operator's {@code *.ini} files next to them; the
   * application reads the glob {@link #settingsGlob()} in sorted order, later files winning.
   */
  public String settings() {
    return home() + "/django_config";
  }

  /** The value of {@code <PACKAGE>_CONFIG}: the glob of the settings directory's files. */
  public String settingsGlob() {
    return settings() + "/*.ini";
  }

  /** The name of the variable that holds {@link #settingsGlob()}. */
  public String settingsVariable() {
    return module().toUpperCase(Locale.ROOT) + "_CONFIG";
  }

  /** The name of the variable {@code si-service} gives uWSGI the service name in. */
  public String serviceVariable() {
    return module().toUpperCase(Locale.ROOT) + "_SERVICE";
  }

  public String etc() {
    return home() + "/etc";
  }

  public String templates() {
    return home() + "/templates";
  }

  public String logs() {
    return home() + "/logs";
  }

  public String run() {
    return home() + "/run";
  }

  /** The application's importable package name: the distribution name as a Python identifier. */
  public String module() {
    return distribution.toLowerCase(Locale.ROOT).replaceAll("[-.]+", "_");
  }

  /** The environment of every command in the image, in a fixed order. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C.UTF-8");
    env.put("HOME", home());
    env.put("VIRTUAL_ENV", venv());
    env.put("PATH", venv() + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("DJANGO_SETTINGS_MODULE", module() + ".settings");
    env.put(settingsVariable(), settingsGlob());
    env.put("APP_NAME", distribution);
    env.put("APP_PACKAGE", module());
    env.put("APP_VERSION", version);
    env.put("PYTHON_VERSION", python);
    return env;
  }

  /** The runner's own OCI labels, for an image created at {@code creationTime}. */
  public Map<String, String> labels(Instant creationTime) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.title", distribution);
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.created", creationTime.toString());
    labels.put("org.opencontainers.image.description", distribution + " " + version
        + " on Python " + python + ", bundled by bundler");
    return labels;
  }

  /** The image config of the runner, created at {@code creationTime}. */
  public ContainerConfig containerConfig(Instant creationTime) {
    return containerConfig(creationTime, ImageSettings.NONE);
  }

  /**
   * The image config of the runner, created at {@code creationTime}, with a project's {@code
   * settings} added: its variables after the runner's (or in their place, for the overrides it
   * names), its ports, volumes and labels with the runner's.
   */
  public ContainerConfig containerConfig(Instant creationTime, ImageSettings settings) {
    Map<String, String> env = environment();
    env.putAll(settings.environment());
    Map<String, String> labels = labels(creationTime);
    labels.putAll(settings.labels());
    Set<Integer> ports = new TreeSet<>(PORTS);
    ports.addAll(settings.ports());
    Set<String> volumes = new TreeSet<>(VOLUMES);
    volumes.addAll(settings.volumes());
    return new ContainerConfig(
        List.of(ENTRYPOINT),
        List.of("shell"),
        env,
        ports,
        volumes,
        uid + ":" + gid,
        home(),
        labels,
        creationTime);
  }
}
