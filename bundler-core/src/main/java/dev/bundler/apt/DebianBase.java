package dev.bundler.apt;

import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import dev.bundler.image.ImageLayer;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.rootfs.Alternative;
import dev.bundler.rootfs.Alternatives;
import dev.bundler.rootfs.CaCertificates;
import dev.bundler.rootfs.FileTree;
import dev.bundler.rootfs.LdSoCache;
import dev.bundler.rootfs.PamCommon;
import dev.bundler.rootfs.SystemUsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The base stage: Debian packages laid into image layers without dpkg or a container.
 *
 * <p>The packages go into a few layers by how often they change (system and libraries, the
 * Python runtime, services), then one layer holds what maintainer scripts would have made: the
 * /usr merge links, dpkg's database, users and groups, alternatives, the linker cache, the CA
 * bundle and the time zone. Every layer is cached by the SHA-256 of the packages in it, so an
 * unchanged base costs neither a download nor an unpack.
 */
public final class DebianBase {
  /** The package layers, lowest first. */
  public static final List<String> LAYERS = List.of("system", "python", "services", "build tools");

  /** How many packages are downloaded and unpacked at once. */
  private static final int PARALLEL = 4;

  /** Version of the way layers are made from packages; part of every cache key. */
  static final String FORMAT = "debian-base/1";

  /** Version of what the configuration layer holds; part of its cache key. */
  static final String CONFIGURATION_FORMAT = "2";

  private final Downloader downloader;
  private final LayerCache cache;
  private final LayerWriter writer;
  private final Path scratch;
  private final EventHandler events;

  public DebianBase(Downloader downloader, LayerCache cache, LayerWriter writer, Path scratch,
      EventHandler events) {
    this.downloader = downloader;
    this.cache = cache;
    this.writer = writer;
    this.scratch = scratch;
    this.events = events;
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
   * The layers for {@code packages}: one per group, then the system configuration.
   *
   * @param users the users to create, with the application's
   */
  public List<ImageLayer> layers(List<BinaryPackage> packages, SystemUsers users, String architecture)
      throws BundlerException, IOException {
    return layers(packages, java.util.Set.of(), users, architecture);
  }

  /** The layers of a package set whose {@code buildOnly} packages form a last group. */
  public List<ImageLayer> layers(List<BinaryPackage> packages, java.util.Set<String> buildOnly,
      SystemUsers users, String architecture) throws BundlerException, IOException {
    Map<String, List<BinaryPackage>> groups = groups(packages, buildOnly);
    List<ImageLayer> layers = new ArrayList<>();
    Map<String, DpkgDatabase.Installed> archives = new LinkedHashMap<>();
    for (Map.Entry<String, List<BinaryPackage>> group : groups.entrySet()) {
      Layer layer = cache.computeIfAbsent(
          key("group", group.getValue()).with("name", group.getKey()).build(),
          "debian " + group.getKey(), writer, () -> merged(group.getValue(), archives));
      layers.add(new ImageLayer("debian " + group.getKey() + ": " + group.getValue().size()
          + " packages", layer));
    }
    CacheKey configKey = key("config", packages).with("format", CONFIGURATION_FORMAT)
        .with("users", users.toString())
        .with("architecture", architecture);
    Layer config = cache.computeIfAbsent(configKey.build(), "debian system configuration", writer, () -> {
      List<List<LayerEntry>> all = new ArrayList<>();
      for (List<BinaryPackage> group : groups.values()) {
        all.add(merged(group, archives));
      }
      return configuration(all, packages, archives, users, architecture);
    });
    layers.add(new ImageLayer("debian system configuration", config));
    return layers;
  }

  private static CacheKey key(String kind, List<BinaryPackage> packages) {
    CacheKey key = CacheKey.of(FORMAT + "/" + kind);
    packages.stream().map(BinaryPackage::sha256).sorted().forEach(sha -> key.with("deb", sha));
    return key;
  }

  /** The merged-/usr entries of a group's packages; archives are read once and remembered. */
  private List<LayerEntry> merged(List<BinaryPackage> group, Map<String, DpkgDatabase.Installed> archives)
      throws BundlerException, IOException {
    prefetch(group, archives);
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    for (BinaryPackage pkg : group) {
      DpkgDatabase.Installed installed = archive(pkg, archives);
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

  private DpkgDatabase.Installed archive(BinaryPackage pkg, Map<String, DpkgDatabase.Installed> archives)
      throws BundlerException, IOException {
    DpkgDatabase.Installed known = archives.get(pkg.name());
    if (known != null) {
      return known;
    }
    DpkgDatabase.Installed installed = read(pkg);
    archives.put(pkg.name(), installed);
    return installed;
  }

  /**
   * Downloads (or finds in the cache) and unpacks one package, checked against its signed hash
   * as it is read.
   */
  private DpkgDatabase.Installed read(BinaryPackage pkg) throws BundlerException, IOException {
    DebArchive archive = downloader.debArchive(pkg, scratch);
    return new DpkgDatabase.Installed(pkg, archive);
  }

  /**
   * Reads the packages of {@code pkgs} not read yet, {@link #PARALLEL} at a time: downloads wait
   * on the network and unpacking on xz, so both overlap. The results are remembered in the
   * caller's order; what goes into a layer does not depend on which finished first.
   */
  private void prefetch(List<BinaryPackage> pkgs, Map<String, DpkgDatabase.Installed> archives)
      throws BundlerException, IOException {
    List<BinaryPackage> missing = pkgs.stream().filter(p -> !archives.containsKey(p.name())).toList();
    if (missing.size() < 2) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(PARALLEL, missing.size()), task -> {
          Thread thread = new Thread(task, "bundler-deb-reader");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<DpkgDatabase.Installed>> reads = new ArrayList<>();
      for (BinaryPackage pkg : missing) {
        reads.add(pool.submit(() -> read(pkg)));
      }
      for (int i = 0; i < missing.size(); i++) {
        archives.put(missing.get(i).name(), await(reads.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static DpkgDatabase.Installed await(Future<DpkgDatabase.Installed> read)
      throws BundlerException, IOException {
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while reading Debian packages", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BundlerException cause) {
        throw cause;
      }
      if (e.getCause() instanceof IOException cause) {
        throw cause;
      }
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IOException(e.getCause());
    }
  }

  private List<LayerEntry> configuration(List<List<LayerEntry>> layers, List<BinaryPackage> packages,
      Map<String, DpkgDatabase.Installed> archives, SystemUsers users, String architecture)
      throws BundlerException, IOException {
    List<LayerEntry> entries = new ArrayList<>(MergedUsr.links());
    List<DpkgDatabase.Installed> installed = new ArrayList<>();
    List<Alternative> alternatives = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    prefetch(packages, archives);
    for (BinaryPackage pkg : packages) {
      DpkgDatabase.Installed archive = archive(pkg, archives);
      installed.add(archive);
      byte[] postinst = archive.archive().controlFiles().get("postinst");
      if (postinst != null) {
        alternatives.addAll(Alternative.fromScript(pkg.name(),
            new String(postinst, StandardCharsets.UTF_8), unreadable));
      }
    }
    unreadable.forEach(line -> events.debug("Not run (uses shell variables): " + line));
    entries.addAll(DpkgDatabase.entries(installed, architecture));
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
