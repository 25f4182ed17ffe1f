package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.rootfs.Alternative;
import dev.bundler.rootfs.Alternatives;
import dev.bundler.rootfs.CaCertificates;
import dev.bundler.rootfs.FileTree;
import dev.bundler.rootfs.LdSoCache;
import dev.bundler.rootfs.PamCommon;
import dev.bundler.rootfs.SystemUsers;
import dev.bundler.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The base stage: Debian packages laid into image layers without dpkg or a container.
 *
 * <p>The packages go into a few layers by how often they change (system and libraries, the
 * Python runtime, services), then one layer holds what maintainer scripts would have made: the
 * /usr merge links, dpkg's database, users and groups, alternatives, the linker cache, the CA
 * bundle and the time zone. Every layer is keyed by the SHA-256 of the packages in it, so an
 * unchanged base costs neither a download nor an unpack.
 *
 * <p>One instance serves a whole build: each package is downloaded and unpacked at most once,
 * whether for the runner's layers or for the compiler's root file system, and only when a layer
 * that needs it is actually written.
 */
public final class DebianBase implements java.io.Closeable {
  /** The package layers, lowest first. */
  public static final List<String> LAYERS = List.of("system", "python", "services", "build tools");

  /** How many packages are downloaded and unpacked at once. */
  private static final int PARALLEL = 4;

  /** Version of the way layers are made from packages; part of every cache key. */
  static final String FORMAT = "debian-base/2";

  /** Version of what the configuration layer holds; part of its cache key. */
  static final String CONFIGURATION_FORMAT = "3";

  private final Downloader downloader;
  private final Path scratch;
  private final EventHandler events;
  private final Slimming slimming;
  private final java.util.Set<String> usersPackages;
  private final Map<String, Future<DpkgDatabase.Installed>> archives =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService readers = Executors.newFixedThreadPool(PARALLEL, task -> {
    Thread thread = new Thread(task, "bundler-deb-reader");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * A base reading packages with {@code downloader}, unpacking them under {@code scratch} (the
   * caller removes it), leaving out what {@code slimming} says.
   */
  public DebianBase(Downloader downloader, Path scratch, EventHandler events, Slimming slimming) {
    this(downloader, scratch, events, slimming, java.util.Set.of());
  }

  /**
   * As {@link #DebianBase(Downloader, Path, EventHandler, Slimming)}; what bundler cannot do of
   * the maintainer scripts of {@code usersPackages} (those the user asked for) is a warning, of
   * the others' a debug line.
   */
  public DebianBase(Downloader downloader, Path scratch, EventHandler events, Slimming slimming,
      java.util.Set<String> usersPackages) {
    this.downloader = downloader;
    this.scratch = scratch;
    this.events = events;
    this.slimming = slimming;
    this.usersPackages = java.util.Set.copyOf(usersPackages);
  }

  /** The layer groups, in image order. */
  public static Map<String, List<BinaryPackage>> groups(List<BinaryPackage> packages) {
    return groups(packages, java.util.Set.of());
  }

  /**
   * The layer groups, in image order; {@code buildOnly} packages (those of a compiler image that
   * the runtime image lacks) go last, so that the runtime image's layers are shared.
   */
  public static Map<String, List<BinaryPackage>> groups(List<BinaryPackage> packages,
      java.util.Set<String> buildOnly) {
    Map<String, List<BinaryPackage>> groups = new LinkedHashMap<>();
    LAYERS.forEach(layer -> groups.put(layer, new ArrayList<>()));
    for (BinaryPackage pkg : packages) {
      groups.get(buildOnly.contains(pkg.name()) ? "build tools" : group(pkg)).add(pkg);
    }
    groups.values().removeIf(List::isEmpty);
    groups.values().forEach(list -> list.sort(java.util.Comparator.comparing(BinaryPackage::name)));
    return groups;
  }

  private static String group(BinaryPackage pkg) {
    String source = pkg.sourcePackage();
    if (pkg.name().matches("(lib)?python3.*") || source.matches("python3(\\.\\d+|-defaults)")) {
      return "python";
    }
    if (pkg.essential() || pkg.priority().equals("required") || pkg.priority().equals("important")
        || pkg.section().endsWith("libs") || pkg.name().startsWith("lib")) {
      return "system";
    }
    return "services";
  }

  /**
   * The layers of {@code packages}, planned: one per group, then the system configuration. Their
   * sources read packages only when a layer is written.
   *
   * @param users the users to create, with the application's
   */
  public List<PlannedLayer> layers(List<BinaryPackage> packages, SystemUsers users,
      String architecture) {
    Map<String, List<BinaryPackage>> groups = groups(packages);
    List<PlannedLayer> layers = new ArrayList<>();
    for (Map.Entry<String, List<BinaryPackage>> group : groups.entrySet()) {
      layers.add(new PlannedLayer("debian " + group.getKey() + ": " + group.getValue().size()
          + " packages", key("group", group.getValue()).with("name", group.getKey())
          .with("slimming", slimming.toString()).build(), () -> merged(group.getValue())));
    }
    String configKey = key("config", packages).with("format", CONFIGURATION_FORMAT)
        .with("users", users.toString())
        .with("architecture", architecture)
        .with("slimming", slimming.toString())
        .build();
    layers.add(new PlannedLayer("debian system configuration", configKey, () -> {
      List<List<LayerEntry>> all = new ArrayList<>();
      for (List<BinaryPackage> group : groups.values()) {
        all.add(merged(group));
      }
      return configuration(all, packages, users, architecture);
    }));
    return layers;
  }

  /**
   * A root file system holding {@code packages}, configured as the image's configuration layer
   * would be, as layers (package groups, then the configuration): the compiler's tree, which
   * never becomes an image.
   */
  public List<List<LayerEntry>> tree(List<BinaryPackage> packages, SystemUsers users,
      String architecture) throws BundlerException, IOException {
    List<List<LayerEntry>> all = new ArrayList<>();
    for (List<BinaryPackage> group : groups(packages).values()) {
      all.add(merged(group));
    }
    List<List<LayerEntry>> tree = new ArrayList<>(all);
    tree.add(configuration(all, packages, users, architecture));
    return tree;
  }

  /** The files of {@code packages} as laid out in the image (merged-/usr), read if needed. */
  public List<LayerEntry> entries(List<BinaryPackage> packages) throws BundlerException, IOException {
    return merged(packages);
  }

  /** Downloads and unpacks every package of {@code packages} not read yet, in parallel. */
  public void read(List<BinaryPackage> packages) throws BundlerException, IOException {
    prefetch(packages);
  }

  /** The identity of a package set, for cache keys: its .debs' hashes and the slimming. */
  public String fingerprint(List<BinaryPackage> packages) {
    return key("set", packages).with("slimming", slimming.toString()).build();
  }

  private static CacheKey key(String kind, List<BinaryPackage> packages) {
    CacheKey key = CacheKey.of(FORMAT + "/" + kind);
    packages.stream().map(BinaryPackage::sha256).sorted().forEach(sha -> key.with("deb", sha));
    return key;
  }

  /** The merged-/usr entries of a group's packages; archives are read once and remembered. */
  private List<LayerEntry> merged(List<BinaryPackage> group) throws BundlerException, IOException {
    prefetch(group);
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    for (BinaryPackage pkg : group) {
      DpkgDatabase.Installed installed = archive(pkg);
      for (LayerEntry entry : MergedUsr.apply(installed.archive().entries())) {
        LayerEntry previous = byPath.get(entry.path());
        if (previous == null || entry.type() != LayerEntry.Type.DIRECTORY) {
          if (previous != null && previous.type() != LayerEntry.Type.DIRECTORY) {
            events.debug("/" + entry.path() + " of " + pkg.name() + " replaces another package's");
          }
          byPath.put(entry.path(), entry);
        }
      }
    }
    return new ArrayList<>(byPath.values());
  }

  private DpkgDatabase.Installed archive(BinaryPackage pkg) throws BundlerException, IOException {
    return await(submit(pkg));
  }

  /** The one read of {@code pkg} in this build, started now if it was not yet. */
  private Future<DpkgDatabase.Installed> submit(BinaryPackage pkg) {
    return archives.computeIfAbsent(pkg.sha256(),
        sha -> readers.submit(() -> slim(read(pkg))));
  }

  private DpkgDatabase.Installed slim(DpkgDatabase.Installed installed) {
    return new DpkgDatabase.Installed(installed.pkg(), slimming.apply(installed.archive()));
  }

  /** Stops the package readers; the scratch directory is the caller's to remove. */
  @Override
  public void close() {
    readers.shutdownNow();
    try {
      readers.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Downloads (or finds in the cache) and unpacks one package, checked against its signed hash
   * as it is read.
   */
  private DpkgDatabase.Installed read(BinaryPackage pkg) throws BundlerException, IOException {
    DebArchive archive = downloader.debArchive(pkg, Files.createDirectories(scratch));
    return new DpkgDatabase.Installed(pkg, archive);
  }

  /**
   * Reads the packages of {@code pkgs} not read yet, {@link #PARALLEL} at a time: downloads wait
   * on the network and unpacking on xz, so both overlap. Each package is read once however many
   * layers (written in parallel) need it; what goes into a layer does not depend on which read
   * finished first.
   */
  private void prefetch(List<BinaryPackage> pkgs) throws BundlerException, IOException {
    List<Future<DpkgDatabase.Installed>> reads = new ArrayList<>();
    for (BinaryPackage pkg : pkgs) {
      reads.add(submit(pkg));
    }
    for (Future<DpkgDatabase.Installed> read : reads) {
      await(read);
    }
  }

  private static DpkgDatabase.Installed await(Future<DpkgDatabase.Installed> read)
      throws BundlerException, IOException {
    return dev.bundler.io.Futures.get(read);
  }

  /** Says that a maintainer script's line was not run: a warning for the user's own packages. */
  private void notRun(BinaryPackage pkg, String line) {
    if (usersPackages.contains(pkg.name())) {
      events.warn("The postinst of " + pkg.name() + " (" + Parameter.RUNTIME_PACKAGES.named()
          + ") installs an alternative with shell variables, which bundler cannot read without "
          + "running the script: the image lacks what this line makes: " + line);
    } else {
      events.debug("Not run (uses shell variables), in the postinst of " + pkg.name() + ": " + line);
    }
  }

  private List<LayerEntry> configuration(List<List<LayerEntry>> layers, List<BinaryPackage> packages,
      SystemUsers users, String architecture) throws BundlerException, IOException {
    List<LayerEntry> entries = new ArrayList<>(MergedUsr.links());
    List<DpkgDatabase.Installed> installed = new ArrayList<>();
    List<Alternative> alternatives = new ArrayList<>();
    prefetch(packages);
    for (BinaryPackage pkg : packages) {
      DpkgDatabase.Installed archive = archive(pkg);
      installed.add(archive);
      byte[] postinst = archive.archive().controlFiles().get("postinst");
      if (postinst != null) {
        List<String> unreadable = new ArrayList<>();
        alternatives.addAll(Alternative.fromScript(pkg.name(),
            new String(postinst, StandardCharsets.UTF_8), unreadable));
        unreadable.forEach(line -> notRun(pkg, line));
      }
    }
    entries.addAll(DpkgDatabase.entries(installed, architecture));
    entries.addAll(slimming.entries());
    List<List<LayerEntry>> all = new ArrayList<>(layers);
    all.add(entries);
    FileTree tree = FileTree.of(all);
    entries.addAll(users.entries(tree));
    // Alternatives may link from /bin, /lib... (cpp's /lib/cpp): those names live under /usr.
    entries.addAll(MergedUsr.apply(Alternatives.entries(alternatives, tree)));
    entries.addAll(CaCertificates.entries(tree));
    if (packages.stream().anyMatch(pkg -> pkg.name().equals("libpam-runtime"))
        && tree.resolve("etc/pam.d/common-auth").isEmpty()) {
      entries.addAll(PamCommon.entries());
    }
    if (tree.resolve("usr/share/zoneinfo/Etc/UTC").isPresent()) {
      entries.add(LayerEntry.symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC"));
      entries.add(LayerEntry.text("etc/timezone", 0644, "Etc/UTC\n"));
    }
    FileTree complete = FileTree.of(List.of(all.stream().flatMap(List::stream).toList(), entries));
    entries.add(LayerEntry.file(LdSoCache.PATH, 0644, 0, 0,
        dev.bundler.layer.Content.of(LdSoCache.build(complete, architecture))));
    entries.add(LayerEntry.directory("tmp", 01777, 0, 0));
    entries.add(LayerEntry.directory("var/tmp", 01777, 0, 0));
    return entries;
  }
}
