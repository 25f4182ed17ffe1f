package dev.bundler.runner;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules of {@link ImageSettings#of}: what a project may add to the runner's image config. */
final class ImageSettingsCheck {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp|sctp))?");
  private static final Pattern LABEL = Pattern.compile("[^\\s\\p{Cntrl}]+");
  private static final int MAX_PORTS = 1000;
  private static final List<String> SYSTEM = List.of("/usr", "/etc", "/bin", "/sbin", "/lib",
      "/lib64", "/boot", "/proc", "/sys", "/dev", "/var/lib/dpkg");

  private final RunnerLayout layout;

  ImageSettingsCheck(RunnerLayout layout) {
    this.layout = layout;
  }

  /** The runner's variables a project may replace on purpose, listing them as overrides. */
  private Set<String> replaceable() {
    return Set.of("PATH", "DJANGO_SETTINGS_MODULE", "LANG", layout.settingsVariable());
  }

  SortedMap<String, String> environment(Map<String, String> environment,
      Collection<String> overrides) throws InvalidInputException {
    Map<String, String> runner = layout.environment();
    for (String name : overrides) {
      if (!replaceable().contains(name)) {
        throw new InvalidInputException(Parameter.OVERRIDE_ENVIRONMENT,
            Parameter.OVERRIDE_ENVIRONMENT.named() + " names " + name + ", which is not one of "
            + "the runner's variables a project may replace: " + new TreeSet<>(replaceable()));
      }
      if (!environment.containsKey(name)) {
        throw new InvalidInputException(Parameter.OVERRIDE_ENVIRONMENT,
            Parameter.OVERRIDE_ENVIRONMENT.named() + " names " + name + " but "
            + Parameter.ENVIRONMENT.named() + " gives it no value: set it there ("
            + Parameter.ENVIRONMENT.withValue(name + "=...") + "), or drop it");
      }
    }
    SortedMap<String, String> checked = new TreeMap<>();
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String name = variable.getKey();
      String value = variable.getValue() == null ? "" : variable.getValue();
      if (!NAME.matcher(name).matches()) {
        throw new InvalidInputException(Parameter.ENVIRONMENT, "'" + name + "' is not an "
            + "environment variable name: use letters, digits and '_', not starting with a digit");
      }
      if (value.indexOf('\0') >= 0) {
        throw new InvalidInputException(Parameter.ENVIRONMENT, "The value of " + name
            + " holds a NUL character, which no environment can carry");
      }
      if (runner.containsKey(name) || name.equals(layout.serviceVariable())) {
        refuseRunnerVariable(name, runner.get(name), overrides);
      }
      checked.put(name, value);
    }
    return checked;
  }

  private void refuseRunnerVariable(String name, String value, Collection<String> overrides)
      throws InvalidInputException {
    if (!replaceable().contains(name)) {
      throw new InvalidInputException(Parameter.ENVIRONMENT, Parameter.ENVIRONMENT.named()
          + " sets " + name + ", which the runner sets itself" + (value == null
          ? " (si-service gives it uWSGI)" : " (" + name + "=" + value + ")") + " and its "
          + "entrypoint, templates and cron wrapper rely on: remove it from "
          + Parameter.ENVIRONMENT);
    }
    if (!overrides.contains(name)) {
      throw new InvalidInputException(Parameter.ENVIRONMENT, Parameter.ENVIRONMENT.named()
          + " sets " + name + ", which the runner sets to " + value + ": to replace it on "
          + "purpose, also list it in " + Parameter.OVERRIDE_ENVIRONMENT.named() + " ("
          + Parameter.OVERRIDE_ENVIRONMENT.withValue(name) + "); the build then warns that it "
          + "does");
    }
  }

  SortedSet<Integer> ports(Collection<String> ports) throws InvalidInputException {
    SortedSet<Integer> checked = new TreeSet<>();
    for (String port : ports) {
      Matcher m = PORT.matcher(port.strip());
      if (!m.matches()) {
        throw new InvalidInputException(Parameter.PORTS, "'" + port + "' is not a port: write "
            + "9000, 9000/tcp or a range such as 9000-9010");
      }
      if (m.group(3) != null && !m.group(3).equals("tcp")) {
        throw new InvalidInputException(Parameter.PORTS, "'" + port + "': bundler exposes TCP "
            + "ports only; drop the /" + m.group(3) + " (a container's UDP ports are published "
            + "all the same with podman run -p PORT:PORT/udp)");
      }
      int first = Integer.parseInt(m.group(1));
      int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
      if (first < 1 || last > 65535 || last < first) {
        throw new InvalidInputException(Parameter.PORTS, "'" + port + "' is not a port or range "
            + "of ports between 1 and 65535, the first not after the last");
      }
      for (int p = first; p <= last; p++) {
        checked.add(p);
      }
      if (checked.size() > MAX_PORTS) {
        throw new InvalidInputException(Parameter.PORTS, Parameter.PORTS.named()
            + " exposes more than " + MAX_PORTS + " ports: expose the ones the application "
            + "listens on");
      }
    }
    checked.removeAll(RunnerLayout.PORTS);
    return checked;
  }

  SortedSet<String> volumes(Collection<String> volumes) throws InvalidInputException {
    SortedSet<String> checked = new TreeSet<>();
    for (String given : volumes) {
      String volume = given.strip();
      if (!normalized(volume) || volume.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidInputException(Parameter.VOLUMES, "'" + given + "' is not a volume: "
            + "write an absolute path without '.', '..', '//' or a trailing '/', such as /data");
      }
      String kept = shadowed(volume);
      if (kept != null) {
        throw new InvalidInputException(Parameter.VOLUMES, "The volume " + volume + " would "
            + "cover " + kept + ": a volume keeps what the first container wrote there across "
            + "image versions, so that an upgraded image would run old files. Choose another "
            + "path, such as /data or " + layout.logs());
      }
      checked.add(volume);
    }
    checked.removeAll(RunnerLayout.VOLUMES);
    return checked;
  }

  /** What of the image's own files a volume at {@code volume} would hide, or {@code null}. */
  private String shadowed(String volume) {
    if (volume.equals("/") || layout.home().startsWith(volume + "/")) {
      return "the application user's home " + layout.home();
    }
    if (volume.equals(layout.home())) {
      return "the application's virtualenv and templates in " + layout.home();
    }
    for (String own : List.of(layout.venv(), layout.templates())) {
      if (volume.equals(own) || volume.startsWith(own + "/")) {
        return own + ", part of the image";
      }
    }
    for (String system : SYSTEM) {
      if (volume.equals(system) || volume.startsWith(system + "/")) {
        return system + ", part of the image's system";
      }
    }
    return null;
  }

  private static boolean normalized(String path) {
    if (!path.startsWith("/")) {
      return false;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() && !path.equals("/") || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  SortedMap<String, String> labels(Map<String, String> labels) throws InvalidInputException {
    SortedMap<String, String> checked = new TreeMap<>();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String key = label.getKey();
      String value = label.getValue() == null ? "" : label.getValue();
      if (!LABEL.matcher(key).matches()) {
        throw new InvalidInputException(Parameter.LABELS, "'" + key + "' is not a label key: "
            + "use a key without spaces or control characters, such as org.example.team");
      }
      if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
        throw new InvalidInputException(Parameter.LABELS, "The label " + key + " has a control "
            + "character in its value");
      }
      if (key.equals("org.opencontainers.image.created")
          || key.equals("org.opencontainers.image.version")) {
        throw new InvalidInputException(Parameter.LABELS, Parameter.LABELS.named() + " sets "
            + key + ", which follows the build (" + (key.endsWith("created")
            ? "set " + Parameter.CREATION_TIME + " instead" : "the application's version")
            + "): remove it from " + Parameter.LABELS);
      }
      checked.put(key, value);
    }
    return checked;
  }
}
