package dev.bundler.apt;

import java.util.List;
import java.util.Objects;

/**
 * A binary package as a {@code Packages} index describes it, with the repository it came from.
 * Relation fields are parsed on first use.
 */
public final class BinaryPackage {
  private final Deb822 fields;
  private final String name;
  private final DebianVersion version;
  private final String architecture;
  private final AptSource source;
  private final String nativeArchitecture;
  private List<List<Relation>> depends;
  private List<List<Relation>> preDepends;
  private List<Relation> provides;
  private List<Relation> conflicts;
  private List<Relation> breaks;

  /** A package described by {@code fields} (Packages index form) from {@code source}. */
  public BinaryPackage(Deb822 fields, AptSource source, String nativeArchitecture) {
    this.fields = fields;
    this.name = Objects.requireNonNull(fields.get("Package"), "Package");
    this.version = DebianVersion.parse(fields.get("Version"));
    this.architecture = fields.get("Architecture", nativeArchitecture);
    this.source = source;
    this.nativeArchitecture = nativeArchitecture;
  }

  public String name() {
    return name;
  }

  public DebianVersion version() {
    return version;
  }

  /** {@code amd64}, {@code arm64} or {@code all}. */
  public String architecture() {
    return architecture;
  }

  /** {@code same}, {@code foreign}, {@code allowed} or {@code no}. */
  public String multiArch() {
    return fields.get("Multi-Arch", "no");
  }

  public boolean essential() {
    return "yes".equalsIgnoreCase(fields.get("Essential"));
  }

  public String priority() {
    return fields.get("Priority", "optional");
  }

  public String section() {
    return fields.get("Section", "");
  }

  /** The source package's name (without its version). */
  public String sourcePackage() {
    String value = fields.get("Source");
    return value == null ? name : value.split("\\s+")[0];
  }

  /** The path of the .deb under the repository ({@code pool/main/...}). */
  public String filename() {
    return fields.get("Filename");
  }

  public long size() {
    return Long.parseLong(fields.get("Size", "0"));
  }

  public String sha256() {
    return fields.get("SHA256");
  }

  /** Installed size in KiB. */
  public long installedSize() {
    return Long.parseLong(fields.get("Installed-Size", "0"));
  }

  public AptSource source() {
    return source;
  }

  public synchronized List<List<Relation>> depends() {
    if (depends == null) {
      depends = Relation.parseField(fields.get("Depends"), nativeArchitecture);
    }
    return depends;
  }

  public synchronized List<List<Relation>> preDepends() {
    if (preDepends == null) {
      preDepends = Relation.parseField(fields.get("Pre-Depends"), nativeArchitecture);
    }
    return preDepends;
  }

  public synchronized List<Relation> provides() {
    if (provides == null) {
      provides = flat(fields.get("Provides"));
    }
    return provides;
  }

  public synchronized List<Relation> conflicts() {
    if (conflicts == null) {
      conflicts = flat(fields.get("Conflicts"));
    }
    return conflicts;
  }

  public synchronized List<Relation> breaks() {
    if (breaks == null) {
      breaks = flat(fields.get("Breaks"));
    }
    return breaks;
  }

  private List<Relation> flat(String value) {
    return Relation.parseField(value, nativeArchitecture).stream().flatMap(List::stream).toList();
  }

  @Override
  public String toString() {
    return name + " " + version + " (" + architecture + ")";
  }
}
