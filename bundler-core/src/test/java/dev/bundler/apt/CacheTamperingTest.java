package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.image.ImageLayer;
import dev.bundler.layer.Digests;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.rootfs.SystemUsers;
import dev.bundler.testkit.EventLog;
import dev.bundler.testkit.LayerTar;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bundler's cache is untrusted input: a cached {@code .deb} or {@code Packages.xz} changed in
 * place is caught by the read that uses it, evicted and fetched again (online), or named with
 * the fix (offline); a mirror serving a file that does not match its signed hash is named.
 */
class CacheTamperingTest {
  @TempDir Path temp;
  private final EventLog events = new EventLog();
  private TestKey key;
  private Path keyring;

  @BeforeEach
  void key() throws Exception {
    key = TestKey.generate();
    keyring = Files.write(temp.resolve("keyring.gpg"), key.publicKeyring());
  }

  /** A repository of the package "tool", published. */
  private FixtureRepo toolRepository() throws Exception {
    FixtureRepo repo = new FixtureRepo(temp.resolve("repo"));
    tool(repo);
    return repo.publish(key, null);
  }

  private static FixtureRepo.Pkg tool(FixtureRepo repo) {
    return repo.add("tool", "1.0").uncompressed().file("usr/bin/tool", "#!/bin/sh\necho genuine\n")
        .file("usr/share/doc/tool/README", "The genuine tool.\n");
  }

  /**
   * The same package with a binary in place of its README: an attacker's build of it, of exactly
   * the same size (the same tar blocks) and a valid archive.
   */
  private static byte[] trojan() throws IOException {
    FixtureRepo.Pkg evil = new FixtureRepo.Pkg("tool", "1.0").uncompressed()
        .file("usr/bin/tool", "#!/bin/sh\necho genuine\n")
        .file("usr/bin/backdoor", "#!/bin/sh\necho owned\n");
    return FixtureRepo.deb(evil);
  }

  private RepositoryLoader loader(boolean offline) {
    return new RepositoryLoader(temp.resolve("cache"), offline, events, Instant.now());
  }

  private AptConfig config(URI uri) {
    return new AptConfig(List.of(new AptSource(uri, "test", List.of("main"), null, false)),
        "amd64", keyring);
  }

  /** The files of the package layer DebianBase writes for {@code pkg}, read back from its blob. */
  private List<String> packageLayer(RepositoryLoader loader, BinaryPackage pkg) throws Exception {
    return packageLayer(loader, pkg, Files.createDirectories(temp.resolve("scratch-" + System.nanoTime())));
  }

  private List<String> packageLayer(RepositoryLoader loader, BinaryPackage pkg, Path scratch)
      throws Exception {
    List<dev.bundler.layer.Layer> layers = dev.bundler.testkit.DebianLayers.write(
        loader.downloader(), List.of(pkg), new SystemUsers("app", 1000, 33), "amd64",
        temp.resolve("layers-" + System.nanoTime()), scratch, events);
    return new ArrayList<>(LayerTar.entries(layers.get(0).blob()).keySet());
  }

  private Path cachedBlob(String sha256) {
    return temp.resolve("cache").resolve("blobs").resolve(sha256);
  }

  @Test
  void aDebTamperedInTheCacheAtTheSameSizeIsEvictedAndFetchedAgain() throws Exception {
    try (FixtureRepo served = toolRepository()) {
      RepositoryLoader loader = loader(false);
      BinaryPackage tool = loader.load(config(served.serve())).candidate("tool");
      assertThat(packageLayer(loader, tool)).contains("usr/bin/tool")
          .doesNotContain("usr/bin/backdoor");

      byte[] trojan = trojan();
      Path cached = cachedBlob(tool.sha256());
      assertThat((long) trojan.length).as("the trojan has the genuine package's size")
          .isEqualTo(tool.size());
      Files.write(cached, trojan);
      served.log.clear();

      assertThat(packageLayer(loader(false), tool)).contains("usr/bin/tool")
          .doesNotContain("usr/bin/backdoor");
      assertThat(Digests.sha256Hex(cached)).as("the genuine package is back in the cache")
          .isEqualTo(tool.sha256());
      assertThat(served.log).containsExactly("GET /pool/main/tool_1.0_amd64.deb");
      assertThat(events.warnings()).anySatisfy(w -> assertThat(w).contains(cached.toString(),
          "damaged or tampered with", "fetching it again"));
    }
  }

  @Test
  void offlineATamperedDebFailsNamingItsCachePathAndTheFixAndKeepsNothingOfIt() throws Exception {
    BinaryPackage tool;
    try (FixtureRepo served = toolRepository()) {
      RepositoryLoader loader = loader(false);
      tool = loader.load(config(served.serve())).candidate("tool");
      packageLayer(loader, tool);
    }
    Path cached = cachedBlob(tool.sha256());
    Files.write(cached, trojan());
    Path scratch = Files.createDirectories(temp.resolve("offline-scratch"));
    assertThatThrownBy(() -> packageLayer(loader(true), tool, scratch))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.CACHE_DIRECTORY))
        .hasMessageContaining(cached.toString())
        .hasMessageContaining("tool 1.0")
        .hasMessageContaining("build once online (without " + Parameter.OFFLINE.named() + ")");
    try (Stream<Path> left = Files.list(scratch)) {
      assertThat(left).as("nothing unpacked from the trojan is left").isEmpty();
    }
    assertThat(cached).as("the tampered file is evicted").doesNotExist();
  }

  @Test
  void aFlippedByteInTheCachedPackagesXzIsFetchedAgain() throws Exception {
    FixtureRepo repo = new FixtureRepo(temp.resolve("repo")).xz();
    tool(repo);
    repo.add("other", "2.0");
    try (FixtureRepo served = repo.publish(key, null)) {
      URI uri = served.serve();
      loader(false).load(config(uri));
      byte[] xz = Files.readAllBytes(repo.path("dists/test/main/binary-amd64/Packages.xz"));
      Path cached = cachedBlob(Digests.sha256Hex(xz));
      byte[] flipped = xz.clone();
      flipped[flipped.length / 2] ^= 0x01;
      Files.write(cached, flipped);
      served.log.clear();

      PackageIndex index = loader(false).load(config(uri));
      assertThat(index.candidate("other")).isNotNull();
      assertThat(Files.readAllBytes(cached)).isEqualTo(xz);
      assertThat(served.log).contains("GET /dists/test/main/binary-amd64/Packages.xz");
      assertThat(events.warnings()).anySatisfy(w -> assertThat(w).contains(cached.toString(),
          "Packages.xz", "damaged or tampered with"));

      Files.write(cached, flipped);
      assertThatThrownBy(() -> loader(true).load(config(uri)))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.CACHE_DIRECTORY))
          .hasMessageContaining(cached.toString())
          .hasMessageContaining("build once online (without " + Parameter.OFFLINE.named() + ")");
    }
  }

  @Test
  void aMirrorServingAPackageThatDoesNotMatchItsSignedHashIsNamed() throws Exception {
    try (FixtureRepo served = toolRepository()) {
      URI uri = served.serve();
      RepositoryLoader loader = loader(false);
      BinaryPackage tool = loader.load(config(uri)).candidate("tool");
      Files.write(served.path("pool/main/tool_1.0_amd64.deb"), trojan());
      assertThatThrownBy(() -> packageLayer(loader, tool))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_MIRROR))
          .hasMessageContaining(uri + "pool/main/tool_1.0_amd64.deb")
          .hasMessageContaining("does not match its signed index")
          .hasMessageContaining("The mirror " + uri);
      assertThat(cachedBlob(tool.sha256())).doesNotExist();
    }
  }
}
