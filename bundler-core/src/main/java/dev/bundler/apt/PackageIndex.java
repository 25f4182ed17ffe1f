package dev.bundler.apt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every package the configured suites offer for one architecture, and apt's candidate of each:
 * its highest version (all Debian suites have the same default pin).
 */
public final class PackageIndex {
  private final Map<String, List<BinaryPackage>> byName = new HashMap<>();
  private Map<String, List<Provider>> providers;

  /** A package that provides a virtual name, possibly at a version. */
  public record Provider(BinaryPackage pkg, Relation provides) {}

  void add(BinaryPackage pkg) {
    byName.computeIfAbsent(pkg.name(), n -> new ArrayList<>()).add(pkg);
  }

  /** Every version of {@code name}, highest first. */
  public List<BinaryPackage> versions(String name) {
    List<BinaryPackage> versions = new ArrayList<>(byName.getOrDefault(name, List.of()));
    versions.sort(Comparator.comparing(BinaryPackage::version).reversed());
    return versions;
  }

  /** apt's candidate for {@code name}: its highest version, or {@code null}. */
  public BinaryPackage candidate(String name) {
    List<BinaryPackage> versions = byName.get(name);
    if (versions == null) {
      return null;
    }
    BinaryPackage best = null;
    for (BinaryPackage pkg : versions) {
      if (best == null || pkg.version().compareTo(best.version()) > 0) {
        best = pkg;
      }
    }
    return best;
  }

  /** Candidates whose {@code Provides} name {@code virtual}. */
  public synchronized List<Provider> providers(String virtual) {
    if (providers == null) {
      providers = new HashMap<>();
      for (Map.Entry<String, List<BinaryPackage>> versions : byName.entrySet()) {
        if (!anyDeclaresProvides(versions.getValue())) {
          continue; // most packages: no candidate to compute, no field to parse
        }
        BinaryPackage candidate = candidate(versions.getKey());
        for (Relation provided : candidate.provides()) {
          providers.computeIfAbsent(provided.name(), n -> new ArrayList<>())
              .add(new Provider(candidate, provided));
        }
      }
    }
    return providers.getOrDefault(virtual, List.of());
  }

  private static boolean anyDeclaresProvides(List<BinaryPackage> versions) {
    for (BinaryPackage pkg : versions) {
      if (pkg.declaresProvides()) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return byName.size();
  }

  /** Names of packages matching {@code pattern}, sorted (for messages such as "pythonX.Y"). */
  public List<String> namesMatching(String pattern) {
    TreeSet<String> names = new TreeSet<>();
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(pattern).matcher("");
    for (String name : byName.keySet()) {
      if (matcher.reset(name).matches()) {
        names.add(name);
      }
    }
    return new ArrayList<>(names);
  }

  Collection<List<BinaryPackage>> all() {
    return byName.values();
  }
}
