package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The links {@code update-alternatives} would make for the alternatives of the installed
 * packages, in automatic mode: for each name, the highest-priority path present in the tree wins;
 * {@code LINK -> /etc/alternatives/NAME -> PATH}, likewise for its slaves whose paths exist, and
 * dpkg's record of it in {@code /var/lib/dpkg/alternatives/NAME} so that {@code update-alternatives
 * --display} works in the image.
 */
public final class Alternatives {
  private Alternatives() {}

  /** The entries realizing {@code alternatives} on {@code tree}. */
  public static List<LayerEntry> entries(List<Alternative> alternatives, FileTree tree) {
    Map<String, List<Alternative>> byName = new TreeMap<>();
    for (Alternative alternative : alternatives) {
      if (tree.resolve(alternative.path()).isPresent()) {
        byName.computeIfAbsent(alternative.name(), n -> new ArrayList<>()).add(alternative);
      }
    }
    List<LayerEntry> entries = new ArrayList<>();
    for (Map.Entry<String, List<Alternative>> group : byName.entrySet()) {
      List<Alternative> candidates = group.getValue();
      candidates.sort(
          Comparator.comparingInt(Alternative::priority).reversed().thenComparing(Alternative::path));
      Alternative best = candidates.get(0);
      link(entries, best.link(), best.name(), best.path());
      for (Alternative.Slave slave : best.slaves()) {
        if (tree.resolve(slave.path()).isPresent()) {
          link(entries, slave.link(), slave.name(), slave.path());
        }
      }
      entries.add(
          LayerEntry.text(
              "var/lib/dpkg/alternatives/" + group.getKey(), 0644, adminFile(best, candidates)));
    }
    return entries;
  }

  private static void link(List<LayerEntry> entries, String link, String name, String path) {
    entries.add(LayerEntry.symlink(link, "/etc/alternatives/" + name));
    entries.add(LayerEntry.symlink("etc/alternatives/" + name, path));
  }

  /** dpkg's administrative file: mode, master link, slaves, then each choice with its priority. */
  private static String adminFile(Alternative master, List<Alternative> candidates) {
    StringBuilder out = new StringBuilder("auto\n").append(master.link()).append('\n');
    List<Alternative.Slave> slaves = master.slaves();
    for (Alternative.Slave slave : slaves) {
      out.append(slave.name()).append('\n').append(slave.link()).append('\n');
    }
    out.append('\n');
    for (Alternative candidate : candidates) {
      out.append(candidate.path()).append('\n').append(candidate.priority()).append('\n');
      for (Alternative.Slave slave : slaves) {
        String path =
            candidate.slaves().stream()
                .filter(s -> s.name().equals(slave.name()))
                .map(Alternative.Slave::path)
                .findFirst()
                .orElse("");
        out.append(path).append('\n');
      }
    }
    out.append('\n');
    return out.toString();
  }
}
