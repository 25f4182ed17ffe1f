package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryCache;
import dev.bundler.image.RegistryCredentials;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.testkit.LocalRegistry;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many machines, one cache: cache directories stand for machines, a docker-registry over TLS with
 * a login for the team's registry. The first machine builds everything and records it; the next
 * ones, starting empty, take the layers, the wheelhouse and the bytecode from the registry (no
 * .deb downloaded, no container run), also with no Debian mirror at all given a lockfile, and push
 * by mounting the cached layers; the same digest everywhere.
 */
class RegistryCacheIT {
  @TempDir static Path temp;
  static LocalRegistry registry;
  static String repository;
  static Map<String, RegistryCredentials> login;
  static dev.bundler.testkit.MirrorRelay relay;
  static DebianSettings mirror;

  @BeforeAll
  static void start() throws Exception {
    Tools.require("podman", "podman runc netavark uidmap fuse-overlayfs");
    registry = LocalRegistry.startWithLogin(temp.resolve("registry"), "ci", "Cache-Pa55");
    repository = registry.address() + "/team/bundler-cache";
    login = Map.of(registry.address(), new RegistryCredentials("ci", "Cache-Pa55"));
    relay = dev.bundler.testkit.MirrorRelay.start();
    DebianSettings defaults = DebianSettings.defaults();
    mirror = new DebianSettings(defaults.suite(), relay.mirror(), defaults.components(),
        defaults.keyring(), false, List.of(), true, false, List.of(), defaults.updatePolicy(),
        false, false);
    wheel("demo", "1.0").file("demo/__init__.py", "GREETING = 'shared'\n").requires("helper")
        .writeTo(temp.resolve("links"));
    wheel("helper", "2.0").file("helper/__init__.py", "").writeTo(temp.resolve("links"));
  }

  @AfterAll
  static void stop() throws Exception {
    relay.close();
    registry.close();
  }

  private static BundleRequest.Builder machine(String name) {
    return BundleRequest.builder()
        .workingDirectory(temp)
        .packageSpec("demo==1.0")
        .compile(new CompileSettings(null, List.of("links"), null, null, null, List.of(), List.of()))
        .cacheRepository(repository)
        .debian(mirror)
        .registryCredentials(login)
        .allowInsecureRegistries(true)
        .outputDirectory(temp.resolve(name + "/out"))
        .cacheDirectory(temp.resolve(name + "/cache"))
        .creationTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static EventHandler recording(List<String> lines) {
    return event -> {
      if (event instanceof BundlerEvent.Log line) {
        lines.add(line.level() + " " + line.message());
      }
    };
  }

  @Test
  void aSecondMachineTakesEverythingFromTheRegistryAndPushesByMounting() throws Exception {
    List<String> first = new CopyOnWriteArrayList<>();
    BuildResult one = Bundler.create(recording(first)).build(machine("one").build());
    assertThat(first).anyMatch(l -> l.contains("Wheelhouse of demo==1.0"))
        .anyMatch(l -> l.contains("Compiling Python bytecode")).anyMatch(l -> l.contains("Recording"));

    List<String> second = new CopyOnWriteArrayList<>();
    BuildResult two = Bundler.create(recording(second)).build(machine("two").build());
    assertThat(two.image().imageDigest()).isEqualTo(one.image().imageDigest());
    assertThat(second).as("no container ran").noneMatch(l -> l.contains("Building the wheelhouse")
        || l.contains("Compiling Python bytecode") || l.contains("Writing layer debian"));
    assertThat(second).anyMatch(l -> l.contains("from the registry cache"));
    assertThat(debs(temp.resolve("two/cache"))).as("no .deb downloaded").isEmpty();

    // A lockfile makes the next machine independent of the Debian mirror: it is now unreachable.
    Path lock = temp.resolve("bundler.lock.json");
    Bundler.create(EventHandler.NONE).plan(machine("one").lockFile(lock).build());
    assertThat(Files.readString(lock)).contains("\"compiler\"");
    relay.close();
    BuildResult three = Bundler.create(EventHandler.NONE)
        .build(machine("three").lockFile(lock).build());
    assertThat(three.image().imageDigest()).isEqualTo(one.image().imageDigest());
    assertThat(debs(temp.resolve("three/cache"))).isEmpty();
    assertThat(temp.resolve("three/cache/debian/lists")).as("no archive index read").doesNotExist();

    // A push mounts the cached layers into the target repository: none is downloaded.
    List<String> fourth = new CopyOnWriteArrayList<>();
    BuildResult pushed = Bundler.create(recording(fourth)).push(machine("four")
        .image(registry.address() + "/team/demo:1.0").lockFile(lock).build());
    assertThat(pushed.pushed().imageDigest()).isEqualTo(one.image().imageDigest());
    assertThat(layerBlobs(temp.resolve("four/cache"))).as("no cached layer downloaded").isEmpty();
    assertThat(Tools.check(List.of("skopeo", "inspect", "--tls-verify=false", "--creds",
        "ci:Cache-Pa55", "docker://" + registry.address() + "/team/demo:1.0")))
        .contains(one.image().imageDigest());
    assertThat(fourth).noneMatch(l -> l.contains("Cache-Pa55"));
  }

  @Test
  void aCacheThatRefusesTheLoginOnlySlowsTheBuild() throws Exception {
    wheel("other", "1.0").file("other/__init__.py", "").writeTo(temp.resolve("wheels-only"));
    List<String> lines = new CopyOnWriteArrayList<>();
    BuildResult result = Bundler.create(recording(lines)).build(machine("refused")
        .packageSpec("other==1.0").from("scratch").wheelhouse("wheels-only")
        .registryCredentials(Map.of(registry.address(), new RegistryCredentials("ci", "Wr0ng")))
        .build());
    assertThat(result.image().tarball()).exists();
    assertThat(lines).anyMatch(l -> l.startsWith("WARN") && l.contains(repository)
        && l.contains(Parameter.CACHE_REPOSITORY.named()));
    assertThat(lines).noneMatch(l -> l.contains("Wr0ng"));
  }

  @Test
  void concurrentRecordsOfOneKeyLeaveOneValidEntryAndABadEntryIsIgnored() throws Exception {
    Path blob = temp.resolve("layer.tar.gz");
    var layer = LayerWriter.create().write(List.of(LayerEntry.text("etc/shared", 0644, "x")), blob);
    String key = "0".repeat(63) + "1";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        writers.add(pool.submit(() -> {
          List<String> said = java.util.Collections.synchronizedList(new ArrayList<>());
          try (RegistryCache cache = RegistryCache.open(repository, login, true,
              event -> said.add(event.toString()))) {
            cache.publish("layer", key, blob, layer.digest(), layer.diffId(), layer.size());
            assertThat(cache.usable()).as("the cache was given up: %s", said).isTrue();
          }
          return null;
        }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      pool.shutdownNow();
    }
    try (RegistryCache cache = RegistryCache.open(repository, login, true, EventHandler.NONE)) {
      Optional<RegistryCache.Entry> entry = cache.lookup("layer", key);
      assertThat(entry).map(RegistryCache.Entry::digest).contains(layer.digest());
      assertThat(cache.fetch(entry.get(), temp.resolve("fetched.tar.gz"))).isTrue();
      assertThat(temp.resolve("fetched.tar.gz")).hasSameBinaryContentAs(blob);

      // A record whose diff id is not its blob's: the download is refused, nothing is left.
      cache.publish("layer", key, blob, layer.digest(), "sha256:" + "f".repeat(64), layer.size());
      RegistryCache.Entry bad = cache.lookup("layer", key).orElseThrow();
      assertThat(cache.fetch(bad, temp.resolve("bad.tar.gz"))).isFalse();
      assertThat(temp.resolve("bad.tar.gz")).doesNotExist();
      assertThat(cache.lookup("layer", "f".repeat(64))).isEmpty();
    }
  }

  /** The .deb files (ar archives) among the downloads of a cache; the rest are indexes. */
  private static List<Path> debs(Path cache) throws Exception {
    Path blobs = cache.resolve("debian/blobs");
    if (!Files.isDirectory(blobs)) {
      return List.of();
    }
    List<Path> debs = new ArrayList<>();
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path file : files.toList()) {
        try (var in = Files.newInputStream(file)) {
          if (new String(in.readNBytes(8), java.nio.charset.StandardCharsets.US_ASCII)
              .equals("!<arch>\n")) {
            debs.add(file);
          }
        }
      }
    }
    return debs;
  }

  private static List<Path> layerBlobs(Path cache) throws Exception {
    Path blobs = cache.resolve("layers/blobs/sha256");
    if (!Files.isDirectory(blobs)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(blobs)) {
      return files.toList();
    }
  }
}
