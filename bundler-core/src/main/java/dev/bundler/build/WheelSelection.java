package dev.bundler.build;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.PackageSpec;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Digests;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.Wheel;
import dev.bundler.python.Wheelhouse;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which wheels of a wheelhouse the application needs, chosen as pip would ({@link Wheelhouse})
 * and remembered: the choice depends only on the wheels' contents and the target, so it is cached
 * under their hashes, and a build whose wheelhouse did not change opens no wheel at all.
 */
final class WheelSelection {
  /** Version of the selection and of what a record holds. */
  private static final String FORMAT = "wheel-selection/1";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A chosen wheel.
   *
   * @param file the wheel's path
   * @param sha256 its hash
   * @param name the distribution name, as the wheel spells it
   * @param version its version
   * @param crontab the SHA-256 of the application's {@code crontab} file (application only), or
   *     {@code null} if it ships none
   */
  record Selected(Path file, String sha256, String name, String version, String crontab) {}

  private record Stored(String file, String sha256, String name, String version, String crontab) {}

  private final Path records;
  private final CacheSeal seal;
  private final EventHandler events;

  WheelSelection(Path records, CacheSeal seal, EventHandler events) {
    this.records = records;
    this.seal = seal;
    this.events = events;
  }

  /** The selections of {@code request}'s cache. */
  static WheelSelection of(BundleRequest request, CacheSeal seal, EventHandler events) {
    return new WheelSelection(request.cacheDirectory().resolve("python").resolve("selections"),
        seal, events);
  }

  /** Where the application's crontab is in its wheel. */
  static String crontabPath(BundleRequest request) {
    return dev.bundler.runner.RunnerLayout.of(request).module() + "/crontab";
  }

  /** The SHA-256 of every wheel in {@code directory}, by file name. */
  static Map<String, String> hashes(Path directory) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    if (directory != null) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.whl")) {
        for (Path file : files) {
          if (Files.isRegularFile(file)) {
            hashes.put(file.getFileName().toString(), Digests.sha256Hex(file));
          }
        }
      }
    }
    return hashes;
  }

  /**
   * The SHA-256 of every wheel in the user's wheelhouse {@code directory}, by file name.
   *
   * @throws InvalidInputException naming {@code bundler.wheelhouse} if a {@code *.whl} there is
   *     not a file
   */
  static Map<String, String> userHashes(Path directory) throws InvalidInputException, IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (Path file : Wheelhouse.wheelFiles(directory, Parameter.WHEELHOUSE)) {
      hashes.put(file.getFileName().toString(), Digests.sha256Hex(file));
    }
    return hashes;
  }

  /**
   * The wheels to install for the request's application from {@code wheelhouse} (whose wheels
   * have {@code hashes}), application first.
   *
   * @param crontabPath where the application's crontab is in its wheel
   */
  List<Selected> select(BundleRequest request, Path wheelhouse, Map<String, String> hashes,
      PythonTarget target, String crontabPath) throws BundlerException, IOException {
    PackageSpec application = request.application();
    Path record = record(request, hashes, target, crontabPath);
    byte[] stored = seal.read(record);
    if (stored != null) {
      List<Stored> chosen = JSON.readValue(stored, new TypeReference<List<Stored>>() {});
      List<Selected> selected = new ArrayList<>();
      for (Stored wheel : chosen) {
        Path file = wheel.file().contains("/") ? Path.of(wheel.file()) : wheelhouse.resolve(wheel.file());
        selected.add(new Selected(file, wheel.sha256(), wheel.name(), wheel.version(), wheel.crontab()));
      }
      events.debug("Wheels for " + application + " chosen before: " + selected.size());
      return selected;
    }
    events.info("Selecting wheels for " + application + " from "
        + (wheelhouse == null ? "the given wheel" : wheelhouse));
    List<Wheel> wheels = Wheelhouse.scan(wheelhouse, target)
        .openingWith(new WheelDescriptions(records.resolveSibling("descriptions"), seal))
        .select(application.name(),
        application.version(), application.extras(), application.wheel());
    try {
      return store(record, wheels, crontabPath, wheel -> wheelhouse != null
          && wheel.file().getParent() != null && wheel.file().getParent().equals(wheelhouse));
    } finally {
      for (Wheel wheel : wheels) {
        wheel.close();
      }
    }
  }

  /**
   * Records {@code wheels} (open, application first) as the choice for the request's application
   * from a wheelhouse of exactly these wheels under their file names: the choice made while
   * assembling that wheelhouse ({@link WheelReuse}), which {@link #select} would only make again
   * by opening every wheel a second time.
   */
  void remember(BundleRequest request, List<Wheel> wheels, PythonTarget target, String crontabPath)
      throws IOException {
    store(record(request, hashes(wheels), target, crontabPath), wheels, crontabPath, wheel -> true);
  }

  /** The SHA-256 of {@code wheels} (as they were read when opened), by file name. */
  static Map<String, String> hashes(List<Wheel> wheels) {
    Map<String, String> hashes = new TreeMap<>();
    for (Wheel wheel : wheels) {
      hashes.put(wheel.file().getFileName().toString(), wheel.sha256());
    }
    return hashes;
  }

  /** Where the choice among wheels of {@code hashes} for the request's application is recorded. */
  private Path record(BundleRequest request, Map<String, String> hashes, PythonTarget target,
      String crontabPath) throws IOException {
    PackageSpec application = request.application();
    CacheKey key = CacheKey.of(FORMAT)
        .with("target", target.toString())
        .with("python", target.fullVersion())
        .with("name", application.name())
        .with("version", application.version())
        .with("extras", String.join(",", new java.util.TreeSet<>(application.extras())))
        .with("crontab", crontabPath);
    if (application.wheel() != null) {
      key.with("application-wheel", application.wheel().toString())
          .withFile("application-wheel-content", application.wheel());
    }
    hashes.forEach((file, sha) -> key.with("wheel " + file, sha));
    return records.resolve(key.build() + ".json");
  }

  private List<Selected> store(Path record, List<Wheel> wheels, String crontabPath,
      java.util.function.Predicate<Wheel> inWheelhouse) throws IOException {
    List<Selected> selected = new ArrayList<>();
    List<Stored> toStore = new ArrayList<>();
    for (Wheel wheel : wheels) {
      String crontab = null;
      if (selected.isEmpty()) {
        byte[] bytes = wheel.readOrNull(crontabPath);
        crontab = bytes == null ? null : Digests.sha256Hex(bytes);
      }
      selected.add(new Selected(wheel.file(), wheel.sha256(), wheel.name(),
          wheel.version().toString(), crontab));
      toStore.add(new Stored(inWheelhouse.test(wheel) ? wheel.file().getFileName().toString()
          : wheel.file().toAbsolutePath().toString(), wheel.sha256(), wheel.name(),
          wheel.version().toString(), crontab));
    }
    seal.write(record, JSON.writeValueAsBytes(toStore));
    return selected;
  }
}
