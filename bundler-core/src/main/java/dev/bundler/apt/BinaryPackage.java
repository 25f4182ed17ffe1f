package dev.bundler.apt;

import java.util.List;
import java.util.Objects;

/**
 * A binary package as a {@code Packages} index describes it, with the repository it came from.
 * Only the fields bundler reads are kept (a suite's index holds some 60,000 packages, and their
 * descriptions would be most of the memory); relation fields are parsed on first use.
 */
public final class BinaryPackage {
  private final String name;
  private final DebianVersion version;
  private final String architecture;
  private final AptSource source;
  private final String nativeArchitecture;
  private final String multiArch;
  private final boolean essential;
  private final String priority;
  private final String section;
  private final String sourcePackage;
  private final String filename;
  private final long size;
  private final String sha256;
  private final long installedSize;
  private String dependsField;
  private String preDependsField;
  private String providesField;
  private String conflictsField;
  private String breaksField;
  private List<List<Relation>> depends;
  private List<List<Relation>> preDepends;
  private List<Relation> provides;
  private List<Relation> conflicts;
  private List<Relation> breaks;

  /** The fields of an index paragraph this class reads (lower case); the others are not kept. */
  static final java.util.Set<String> INDEX_FIELDS = java.util.Set.of("package", "version",
      "architecture", "multi-arch", "essential", "priority", "section", "source", "filename",
      "size", "sha256", "installed-size", "depends", "pre-depends", "provides", "conflicts",
      "breaks");

  /** A package described by {@code fields} (Packages index form) from {@code source}. */
  public BinaryPackage(Deb822 fields, AptSource source, String nativeArchitecture) {
    this.name = Objects.requireNonNull(fields.get("Package"), "Package");
    this.version = DebianVersion.parse(fields.get("Version"));
    this.architecture = fields.get("Architecture", nativeArchitecture).intern();
    this.source = source;
    this.nativeArchitecture = nativeArchitecture;
    this.multiArch = fields.get("Multi-Arch", "no").intern();
    this.essential = "yes".equalsIgnoreCase(fields.get("Essential"));
    this.priority = fields.get("Priority", "optional").intern();
    this.section = fields.get("Section", "").intern();
    String sourceField = fields.get("Source");
    this.sourcePackage = sourceField == null ? name : sourceField.split("\\s+")[0];
    this.filename = fields.get("Filename");
    this.size = Long.parseLong(fields.get("Size", "0"));
    this.sha256 = fields.get("SHA256");
    this.installedSize = Long.parseLong(fields.get("Installed-Size", "0"));
    this.dependsField = fields.get("Depends");
    this.preDependsField = fields.get("Pre-Depends");
    this.providesField = fields.get("Provides");
    this.conflictsField = fields.get("Conflicts");
    this.breaksField = fields.get("Breaks");
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
    return multiArch;
  }

  public boolean essential() {
    return essential;
  }

  public String priority() {
    return priority;
  }

  public String section() {
    return section;
  }

  /** The source package's name (without its version). */
  public String sourcePackage() {
    return sourcePackage;
  }

  /** The path of the .deb under the repository ({@code pool/main/...}). */
  public String filename() {
    return filename;
  }

  public long size() {
    return size;
  }

  public String sha256() {
    return sha256;
  }

  /** Installed size in KiB. */
  public long installedSize() {
    return installedSize;
  }

  public AptSource source() {
    return source;
  }

  public synchronized List<List<Relation>> depends() {
    if (depends == null) {
      depends = Relation.parseField(dependsField, nativeArchitecture);
      dependsField = null;
    }
    return depends;
  }

  public synchronized List<List<Relation>> preDepends() {
    if (preDepends == null) {
      preDepends = Relation.parseField(preDependsField, nativeArchitecture);
      preDependsField = null;
    }
    return preDepends;
  }

  public synchronized List<Relation> provides() {
    if (provides == null) {
      provides = flat(providesField);
      providesField = null;
    }
    return provides;
  }

  /** Whether the package has a {@code Provides} field, without parsing it. */
  public synchronized boolean declaresProvides() {
    return provides != null ? !provides.isEmpty() : providesField != null && !providesField.isBlank();
  }

  public synchronized List<Relation> conflicts() {
    if (conflicts == null) {
      conflicts = flat(conflictsField);
      conflictsField = null;
    }
    return conflicts;
  }

  public synchronized List<Relation> breaks() {
    if (breaks == null) {
      breaks = flat(breaksField);
      breaksField = null;
    }
    return breaks;
  }

  private List<Relation> flat(String value) {
    List<Relation> relations = new java.util.ArrayList<>();
    for (List<Relation> group : Relation.parseField(value, nativeArchitecture)) {
      relations.addAll(group);
    }
    return List.copyOf(relations);
  }

  @Override
  public String toString() {
    return name + " " + version + " (" + architecture + ")";
  }
}
