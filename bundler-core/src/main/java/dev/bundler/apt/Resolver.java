package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the packages to install for a set of roots the way {@code apt-get install} does on an
 * empty system with Recommends off: each root's candidate, then, depth first, for every {@code
 * Pre-Depends} and {@code Depends} group not yet satisfied, the first alternative that can be
 * installed (among several providers of a virtual package, apt's preference order), skipping
 * anything that conflicts with (or breaks, or is broken by) what is already chosen.
 */
public final class Resolver {
  private final PackageIndex index;
  private final String architecture;
  private final java.util.Set<String> preferred;

  public Resolver(PackageIndex index, String architecture) {
    this(index, architecture, java.util.Set.of());
  }

  private Resolver(PackageIndex index, String architecture, java.util.Set<String> preferred) {
    this.index = index;
    this.architecture = architecture;
    this.preferred = java.util.Set.copyOf(preferred);
  }

  /**
   * A resolver that, in a group of alternatives, takes one of {@code names} first where it is
   * among them: bundler lays out merged-/usr itself, so {@code usr-is-merged} (which only says
   * so) serves where apt would pick {@code usrmerge} (which converts a system, pulling in perl).
   */
  public Resolver preferring(java.util.Set<String> names) {
    return new Resolver(index, architecture, names);
  }

  /**
   * A root: a package name, optionally constrained ({@code python3.11 (>= 3.11.2)}), what asked
   * for it (for messages), and the parameter a failure to install it names.
   */
  public record Root(Relation relation, String requestedBy, Parameter parameter) {
    /** A root the runner, the compiler or Debian asks for: a failure names runtimePackages. */
    public Root(Relation relation, String requestedBy) {
      this(relation, requestedBy, Parameter.RUNTIME_PACKAGES);
    }
  }

  /**
   * The packages to install, in the order they were chosen.
   *
   * @throws InvalidInputException naming {@code parameter} if a root or a dependency cannot be
   *     satisfied, saying which and why
   */
  public List<BinaryPackage> resolve(List<Root> roots) throws InvalidInputException {
    Map<String, BinaryPackage> chosen = new LinkedHashMap<>();
    for (Root root : roots) {
      BinaryPackage pkg = target(root.relation(), chosen);
      if (pkg == null) {
        throw new InvalidInputException(root.parameter(), unsatisfiable(root.relation(),
            root.requestedBy(), chosen));
      }
      install(pkg, chosen, root.requestedBy());
    }
    return new ArrayList<>(chosen.values());
  }

  private void install(BinaryPackage pkg, Map<String, BinaryPackage> chosen, String why)
      throws InvalidInputException {
    if (chosen.containsKey(pkg.name())) {
      return;
    }
    String conflict = conflictWith(pkg, chosen);
    if (conflict != null) {
      throw new InvalidInputException(Parameter.RUNTIME_PACKAGES, pkg + " (wanted by " + why
          + ") cannot be installed: " + conflict);
    }
    chosen.put(pkg.name(), pkg);
    List<List<Relation>> groups = new ArrayList<>(pkg.preDepends());
    groups.addAll(pkg.depends());
    for (List<Relation> group : groups) {
      if (satisfied(group, chosen)) {
        continue;
      }
      BinaryPackage next = null;
      for (Relation alternative : preferredFirst(group)) {
        next = target(alternative, chosen);
        if (next != null) {
          break;
        }
      }
      if (next == null) {
        throw new InvalidInputException(Parameter.RUNTIME_PACKAGES, unsatisfiable(group,
            pkg.name() + " " + pkg.version(), chosen));
      }
      install(next, chosen, pkg.name());
    }
  }

  private List<Relation> preferredFirst(List<Relation> group) {
    if (preferred.isEmpty() || group.size() < 2) {
      return group;
    }
    List<Relation> ordered = new ArrayList<>();
    group.stream().filter(r -> preferred.contains(r.name())).forEach(ordered::add);
    group.stream().filter(r -> !preferred.contains(r.name())).forEach(ordered::add);
    return ordered;
  }

  /** Whether something chosen already satisfies one of the alternatives. */
  private boolean satisfied(List<Relation> group, Map<String, BinaryPackage> chosen) {
    for (Relation relation : group) {
      BinaryPackage real = chosen.get(relation.name());
      if (real != null && relation.accepts(real.version()) && archAccepts(relation, real)) {
        return true;
      }
      for (BinaryPackage pkg : chosen.values()) {
        for (Relation provided : pkg.provides()) {
          if (provided.name().equals(relation.name()) && providesAccepts(relation, provided)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The package apt would install for one alternative, or {@code null} if none can be. */
  private BinaryPackage target(Relation relation, Map<String, BinaryPackage> chosen) {
    List<BinaryPackage> targets = new ArrayList<>();
    BinaryPackage real = index.candidate(relation.name());
    if (real != null && relation.accepts(real.version()) && archAccepts(relation, real)) {
      targets.add(real);
    }
    List<BinaryPackage> providers = new ArrayList<>();
    for (PackageIndex.Provider provider : index.providers(relation.name())) {
      if (providesAccepts(relation, provider.provides()) && !providers.contains(provider.pkg())) {
        providers.add(provider.pkg());
      }
    }
    providers.sort(PROVIDER_ORDER);
    targets.addAll(providers);
    for (BinaryPackage target : targets) {
      if (conflictWith(target, chosen) == null) {
        return target;
      }
    }
    return null;
  }

  /** apt's preference among providers: essential, then by Priority, then by name. */
  private static final Comparator<BinaryPackage> PROVIDER_ORDER =
      Comparator.comparing((BinaryPackage p) -> !p.essential())
          .thenComparingInt(p -> priorityRank(p.priority()))
          .thenComparing(BinaryPackage::name);

  private static int priorityRank(String priority) {
    return switch (priority) {
      case "required" -> 0;
      case "important" -> 1;
      case "standard" -> 2;
      case "optional" -> 3;
      default -> 4;
    };
  }

  /**
   * dpkg's rule for an architecture qualifier: a {@code Multi-Arch: foreign} package satisfies any
   * qualifier, {@code :any} needs {@code Multi-Arch: allowed}, and an unqualified (or native)
   * relation is met by this architecture's and {@code Architecture: all} packages, the only ones
   * in the index.
   */
  private boolean archAccepts(Relation relation, BinaryPackage pkg) {
    String qualifier = relation.archQualifier();
    if (qualifier == null || qualifier.equals("native") || pkg.multiArch().equals("foreign")) {
      return true;
    }
    if (qualifier.equals("any")) {
      return pkg.multiArch().equals("allowed");
    }
    return qualifier.equals(architecture) && !pkg.architecture().equals("all");
  }

  /** A versioned dependency is satisfied only by a versioned provide that matches. */
  private static boolean providesAccepts(Relation relation, Relation provided) {
    if (relation.operator() == null) {
      return true;
    }
    return provided.version() != null && relation.accepts(provided.version());
  }

  /** Why {@code pkg} cannot join {@code chosen}, or {@code null} if it can. */
  private String conflictWith(BinaryPackage pkg, Map<String, BinaryPackage> chosen) {
    for (BinaryPackage other : chosen.values()) {
      if (other.name().equals(pkg.name())) {
        continue;
      }
      String why = hits(pkg, other);
      if (why == null) {
        why = hits(other, pkg);
      }
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** Whether {@code a}'s Conflicts or Breaks hit {@code b} (by name or by what b provides). */
  private static String hits(BinaryPackage a, BinaryPackage b) {
    for (List<Relation> list : List.of(a.conflicts(), a.breaks())) {
      for (Relation relation : list) {
        if (relation.name().equals(b.name()) && relation.accepts(b.version())) {
          return a + " conflicts with " + b;
        }
        if (relation.operator() == null && !relation.name().equals(a.name())) {
          for (Relation provided : b.provides()) {
            if (provided.name().equals(relation.name())) {
              return a + " conflicts with " + b + ", which provides " + provided.name();
            }
          }
        }
      }
    }
    return null;
  }

  private String unsatisfiable(Relation relation, String neededBy, Map<String, BinaryPackage> chosen) {
    return unsatisfiable(List.of(relation), neededBy, chosen);
  }

  private String unsatisfiable(List<Relation> group, String neededBy, Map<String, BinaryPackage> chosen) {
    StringBuilder why = new StringBuilder("Cannot install ").append(
        String.join(" | ", group.stream().map(Relation::toString).toList()))
        .append(", needed by ").append(neededBy).append(": ");
    List<String> reasons = new ArrayList<>();
    for (Relation relation : group) {
      List<BinaryPackage> versions = index.versions(relation.name());
      BinaryPackage candidate = index.candidate(relation.name());
      String conflict = candidate != null && relation.accepts(candidate.version())
          ? conflictWith(candidate, chosen) : null;
      if (conflict != null) {
        reasons.add(conflict);
      } else if (!versions.isEmpty()) {
        reasons.add(relation.name() + " has only version(s) "
            + String.join(", ", versions.stream().map(p -> p.version().toString()).toList()));
      } else if (!index.providers(relation.name()).isEmpty()) {
        reasons.add(relation.name() + " is virtual and its providers conflict with chosen packages or do not match");
      } else {
        reasons.add("no package " + relation.name() + " exists in the configured suites");
      }
    }
    return why.append(String.join("; ", reasons)).append(". Check the package names and ")
        .append(Parameter.DEBIAN_SUITE).toString();
  }
}
