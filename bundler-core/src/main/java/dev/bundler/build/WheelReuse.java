package dev.bundler.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.PackageSpec;
import dev.bundler.compile.WheelhouseCompiler;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Digests;
import dev.bundler.python.Names;
import dev.bundler.python.Pep440Version;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.Wheel;
import dev.bundler.python.WheelFilename;
import dev.bundler.python.Wheelhouse;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a wheelhouse without running pip when everything it needs is a wheel already: the wheels
 * of the find-links directories, and the wheels pip built before, with the same compiler, from
 * the very source distributions (by SHA-256) those directories offer. The choice is pip's
 * ({@link Wheelhouse}: the best version that satisfies every requirement, wheels as pip ranks
 * them, pre-releases only when asked for); wherever pip would build a source it has not built
 * yet, or anything else is in doubt, pip runs as before.
 *
 * <p>So a new version of an application, published as a wheel next to its unchanged
 * dependencies, is bundled with no container run: only its own layers are new.
 */
final class WheelReuse {
  private static final String FORMAT = "built-wheel/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SOURCE_SUFFIXES = List.of(".tar.gz", ".zip", ".tar.bz2", ".tgz");

  private record Built(String wheel, String sha256) {}

  /** Learns the wheels a wheelhouse is assembled from. */
  interface Chosen {
    void accept(List<Wheel> wheels) throws IOException;
  }

  private final Path store;
  private final CacheSeal seal;
  private final Path scratch;
  private final EventHandler events;

  WheelReuse(Path store, CacheSeal seal, Path scratch, EventHandler events) {
    this.store = store;
    this.seal = seal;
    this.scratch = scratch;
    this.events = events;
  }

  /**
   * Fills {@code target} with the wheelhouse of {@code application} for {@code job} from wheels
   * at hand, if pip would install exactly those; returns whether it did.
   *
   * @param compiler what identifies the compiler's root (wheels it built are reused only by it)
   * @param chosen told the wheels chosen (open, application first) before they are closed
   */
  boolean assemble(WheelhouseCompiler.Job job, PackageSpec application, PythonTarget target,
      String compiler, Path wheelhouse, Chosen chosen) throws BundlerException, IOException {
    if (job.index() != null || job.pipConf() != null || job.constraints() != null
        || job.findLinks().stream().anyMatch(WheelReuse::isUrl)) {
      return false; // pip alone knows what an index or a pip.conf offers
    }
    Path candidates = Files.createTempDirectory(Files.createDirectories(scratch), "wheels-");
    try {
      Map<String, List<Pep440Version>> unbuilt = new TreeMap<>();
      for (String link : job.findLinks()) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(link))) {
          for (Path file : files) {
            offer(file, job, compiler, candidates, unbuilt);
          }
        }
      }
      List<Wheel> wheels;
      try {
        wheels = Wheelhouse.scan(candidates, target).withUnbuilt(unbuilt)
            .openingWith(new WheelDescriptions(store.resolveSibling("descriptions"), seal)).selectOrBuild(
            application.name(), application.version(), application.extras(), null);
      } catch (Wheelhouse.NeedsBuild needsBuild) {
        events.debug("pip runs: " + needsBuild.getMessage());
        return false;
      } catch (InvalidInputException doubt) {
        events.debug("pip runs: the wheels at hand do not make a wheelhouse (" + doubt.getMessage() + ")");
        return false;
      }
      Path partial = Files.createTempDirectory(Files.createDirectories(wheelhouse.getParent()), ".reuse-");
      try {
        chosen.accept(wheels);
        for (Wheel wheel : wheels) {
          link(wheel.file(), partial.resolve(wheel.file().getFileName().toString()));
        }
        Files.move(partial, wheelhouse, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        for (Wheel wheel : wheels) {
          wheel.close();
        }
        AtomicFiles.deleteRecursively(partial);
      }
      events.info("Wheelhouse of " + job.requirement() + " made of " + wheels.size()
          + " wheels at hand, built before or found (no container run)");
      return true;
    } finally {
      AtomicFiles.deleteRecursively(candidates);
    }
  }

  /**
   * Remembers the wheels a pip run built from the source distributions of {@code job}'s
   * find-links (those not found there as wheels already), for {@link #assemble}.
   */
  void remember(WheelhouseCompiler.Job job, String compiler, Path wheelhouse) throws IOException {
    Map<String, Path> sources = new HashMap<>();
    Map<String, Boolean> wheelsOffered = new HashMap<>();
    for (String link : job.findLinks()) {
      if (isUrl(link)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(link))) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (name.endsWith(".whl")) {
            wheelsOffered.put(name, true);
          }
          String[] source = source(name);
          if (source != null) {
            sources.put(source[0] + " " + source[1], file);
          }
        }
      }
    }
    try (DirectoryStream<Path> built = Files.newDirectoryStream(wheelhouse, "*.whl")) {
      for (Path wheel : built) {
        String name = wheel.getFileName().toString();
        if (wheelsOffered.containsKey(name)) {
          continue;
        }
        WheelFilename parsed = WheelFilename.parse(name);
        Path source = sources.get(Names.normalize(parsed.name()) + " " + parsed.version());
        if (source == null) {
          continue;
        }
        String key = key(source, job, compiler);
        Path kept = store.resolve(key).resolve(name);
        AtomicFiles.copy(wheel, kept); // a build linking the kept wheel meanwhile finds one
        seal.write(store.resolve(key + ".json"),
            JSON.writeValueAsBytes(new Built(name, Digests.sha256Hex(kept))));
      }
    }
  }

  private void offer(Path file, WheelhouseCompiler.Job job, String compiler, Path candidates,
      Map<String, List<Pep440Version>> unbuilt) throws IOException {
    String name = file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      return;
    }
    if (name.endsWith(".whl")) {
      try {
        WheelFilename.parse(name);
      } catch (IllegalArgumentException e) {
        return; // pip ignores it as well
      }
      link(file, candidates.resolve(name));
      return;
    }
    String[] source = source(name);
    if (source == null) {
      return;
    }
    String key = key(file, job, compiler);
    byte[] record = seal.read(store.resolve(key + ".json"));
    if (record != null) {
      Built built = JSON.readValue(record, Built.class);
      Path wheel = store.resolve(key).resolve(built.wheel());
      if (Files.isRegularFile(wheel) && Digests.sha256Hex(wheel).equals(built.sha256())) {
        link(wheel, candidates.resolve(built.wheel()));
        return;
      }
    }
    unbuilt.computeIfAbsent(source[0], n -> new ArrayList<>()).add(Pep440Version.parse(source[1]));
  }

  /** The built wheel of a source file is known by the source's bytes and who built it. */
  private static String key(Path source, WheelhouseCompiler.Job job, String compiler)
      throws IOException {
    return CacheKey.of(FORMAT).with("compiler", compiler).with("python", job.python())
        .withFile("source", source).build();
  }

  /** {@code [normalized name, version]} of a source distribution's file name, or {@code null}. */
  static String[] source(String fileName) {
    for (String suffix : SOURCE_SUFFIXES) {
      if (fileName.endsWith(suffix)) {
        String stem = fileName.substring(0, fileName.length() - suffix.length());
        for (int dash = stem.lastIndexOf('-'); dash > 0; dash = stem.lastIndexOf('-', dash - 1)) {
          String version = stem.substring(dash + 1);
          if (Pep440Version.isValid(version) && Names.isValid(stem.substring(0, dash))) {
            return new String[] {Names.normalize(stem.substring(0, dash)),
                Pep440Version.parse(version).toString()};
          }
        }
        return null;
      }
    }
    return null;
  }

  private static void link(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      return;
    }
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException otherFileSystem) {
      Files.copy(from, to);
    }
  }

  private static boolean isUrl(String link) {
    return link.startsWith("http://") || link.startsWith("https://");
  }
}
