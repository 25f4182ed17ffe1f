package dev.bundler.runner;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a project adds to the runner image's own settings, as Jib's {@code <container>} offers
 * them: environment variables, exposed ports, volumes and labels, on top of the runner's (its
 * environment, ports 8080 and 8081, volumes {@code /config}, {@code /scripts} and {@code /media},
 * its OCI labels). Validated by {@link #of}; sorted, so that the image config is the same bytes
 * for the same settings whatever order they were given in.
 *
 * @param environment variables added to the runner's, or replacing those named in {@code
 *     overrides}
 * @param overrides the runner's own variables {@code environment} replaces on purpose
 * @param ports more exposed TCP ports
 * @param volumes more volumes (absolute, normalized paths)
 * @param labels more labels, or replacing the runner's title and description
 */
public record ImageSettings(
    SortedMap<String, String> environment,
    SortedSet<String> overrides,
    SortedSet<Integer> ports,
    SortedSet<String> volumes,
    SortedMap<String, String> labels) {

  /** No additions: the runner's own settings only. */
  public static final ImageSettings NONE = new ImageSettings(
      new TreeMap<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeMap<>());

  public ImageSettings {
    environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    overrides = Collections.unmodifiableSortedSet(new TreeSet<>(overrides));
    ports = Collections.unmodifiableSortedSet(new TreeSet<>(ports));
    volumes = Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /**
   * The settings a project gives, checked against the runner image {@code layout} describes.
   *
   * @param environment {@code bundler.environment}: variable names to values
   * @param overrides {@code bundler.overrideEnvironment}: the runner's variables that {@code
   *     environment} may replace ({@code PATH}, {@code DJANGO_SETTINGS_MODULE}, {@code LANG},
   *     {@code <PACKAGE>_CONFIG})
   * @param ports {@code bundler.ports}: {@code 9000}, {@code 9000/tcp} or a range {@code 9000-9010}
   * @param volumes {@code bundler.volumes}: absolute paths
   * @param labels {@code bundler.labels}: label keys to values
   * @throws InvalidInputException naming the parameter, the value and the fix
   */
  public static ImageSettings of(Map<String, String> environment, Collection<String> overrides,
      Collection<String> ports, Collection<String> volumes, Map<String, String> labels,
      RunnerLayout layout) throws InvalidInputException {
    ImageSettingsCheck check = new ImageSettingsCheck(layout);
    return new ImageSettings(check.environment(environment, overrides),
        new TreeSet<>(overrides), check.ports(ports), check.volumes(volumes),
        check.labels(labels));
  }

  /** What the build should warn about: the runner's settings these replace. */
  public List<String> warnings(RunnerLayout layout) {
    List<String> warnings = new ArrayList<>();
    Map<String, String> runner = layout.environment();
    for (String name : overrides) {
      warnings.add(Parameter.ENVIRONMENT.named() + " replaces the runner's " + name + "="
          + runner.get(name) + " with " + name + "=" + environment.get(name) + ", as "
          + Parameter.OVERRIDE_ENVIRONMENT.named() + " asks: the entrypoint, cron jobs and the "
          + "application all get the new value");
    }
    String path = environment.get("PATH");
    if (path != null && !List.of(path.split(":")).contains(layout.venv() + "/bin")) {
      warnings.add("The PATH " + Parameter.ENVIRONMENT.named() + " sets lacks " + layout.venv()
          + "/bin: django-admin and the application's commands are then found only by their "
          + "full path");
    }
    Map<String, String> ownLabels = layout.labels(java.time.Instant.EPOCH);
    labels.keySet().stream().filter(ownLabels::containsKey).forEach(key -> warnings.add(
        Parameter.LABELS.named() + " replaces the runner's label " + key + "="
            + ownLabels.get(key)));
    return warnings;
  }
}
