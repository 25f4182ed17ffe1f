package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.DebianSettings;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.apt.BinaryPackage;
import dev.bundler.apt.DebianBase;
import dev.bundler.apt.FixtureRepo;
import dev.bundler.apt.Slimming;
import dev.bundler.apt.TestKey;
import dev.bundler.apt.UpdatePolicy;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.lock.Lockfile;
import dev.bundler.testkit.EventLog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The base stage against a signed archive made here that holds the runner's packages: a
 * committed lockfile is checked field by field and needs no index, a password-protected
 * mirror gets its credentials while no file, log line or lockfile keeps them, and what bundler
 * cannot do of a maintainer script is a warning for the user's own packages.
 */
class DebianStageTrustTest {
  private static final String PASSWORD = "s3cret-Pw0rd";

  @TempDir Path temp;
  private final EventLog events = new EventLog();
  private TestKey key;
  private FixtureRepo repo;

  @BeforeEach
  void archive() throws Exception {
    key = TestKey.generate();
    repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("python3.11", "3.11.2-6").file("usr/bin/python3.11", "python");
    for (String name : DebianStage.RUNNER_PACKAGES) {
      repo.add(name, "1.0").file("usr/share/doc/" + name + "/README", name);
    }
    repo.add("uwsgi-core", "1.1").file("usr/bin/uwsgi-core", "x").postinst(
        "update-alternatives --install /usr/bin/uwsgi uwsgi /usr/bin/uwsgi-$FLAVOUR 10\n");
    repo.add("libextra", "1.0").file("usr/lib/extra-1", "x").postinst(
        "update-alternatives --install /usr/bin/extra extra /usr/lib/$(dpkg-architecture)/extra 10\n");
    repo.publish(key, null);
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  private BundleRequest request(String mirror, Path lockFile) throws Exception {
    return request(mirror, lockFile, List.of());
  }

  private BundleRequest request(String mirror, Path lockFile, List<String> runtimePackages)
      throws Exception {
    Path keyring = Files.write(temp.resolve("archive.gpg"), key.publicKeyring());
    return BundleRequest.builder().packageSpec("demo==1.0").workingDirectory(temp)
        .cacheDirectory(temp.resolve("cache")).outputDirectory(temp.resolve("out"))
        .lockFile(lockFile)
        .debian(new DebianSettings("test", mirror, List.of("main"), keyring, false, runtimePackages,
            false, false, List.of(), UpdatePolicy.DAILY, false, false))
        .build();
  }

  /** Resolves (or reads the lock), writes the layers; returns the packages. */
  private List<BinaryPackage> base(BundleRequest request) throws Exception {
    DebianStage stage = new DebianStage(request, events);
    List<BinaryPackage> packages = stage.runtimePackages();
    LayerCache cache = LayerCache.at(temp.resolve("layers"), CacheSeal.withKey(new byte[] {3}));
    try (DebianBase base = new DebianBase(stage.downloader(), temp.resolve("debs"), events,
        Slimming.of(true), java.util.Set.copyOf(request.debian().runtimePackages()))) {
      for (PlannedLayer layer : base.layers(packages, stage.users(), "amd64")) {
        cache.computeIfAbsent(layer.key(), layer.description(), LayerWriter.create(), layer.source());
      }
    }
    return packages;
  }

  private Path writeLock(BundleRequest request, List<BinaryPackage> packages) throws Exception {
    Path file = temp.resolve("bundler.lock.json");
    new Lockfile(Lockfile.FORMAT, new DebianStage(request, events).inputs(),
        DebianStage.lockEntries(packages), List.of()).write(file);
    return file;
  }

  @Test
  void aCommittedLockfileNeedsNoIndexAndItsDebsAreCheckedAgainstItsHashes() throws Exception {
    URI uri = repo.serve();
    Path lock = writeLock(request(uri.toString(), null), base(request(uri.toString(), null)));
    AtomicFiles.deleteRecursively(temp.resolve("cache"));
    AtomicFiles.deleteRecursively(temp.resolve("layers"));
    repo.log.clear();

    assertThat(base(request(uri.toString(), lock))).hasSize(DebianStage.RUNNER_PACKAGES.size() + 1);
    assertThat(repo.log).as("only the pinned .debs are fetched: no InRelease, no Packages")
        .hasSize(DebianStage.RUNNER_PACKAGES.size() + 1).allMatch(line -> line.startsWith("GET /pool/main/"));
  }

  @Test
  void aLockfileWhoseSha256IsAPathFailsBeforeAnythingIsRead() throws Exception {
    URI uri = repo.serve();
    Path lock = writeLock(request(uri.toString(), null), base(request(uri.toString(), null)));
    byte[] implant = FixtureRepo.deb(new FixtureRepo.Pkg("bash", "1.0")
        .file("usr/bin/implant", "evil"));
    Files.write(temp.resolve("x.deb"), implant);
    Lockfile pinned = Lockfile.read(lock);
    List<Lockfile.DebianPackage> debs = new ArrayList<>();
    for (Lockfile.DebianPackage p : pinned.debian()) {
      debs.add(!p.name().equals("bash") ? p : new Lockfile.DebianPackage(p.name(), p.version(),
          p.architecture(), p.repository(), p.suite(), p.path(), "../../../x.deb", implant.length,
          p.layer(), p.priority(), p.section(), p.multiArch(), p.essential(), p.source()));
    }
    new Lockfile(pinned.version(), pinned.inputs(), debs, pinned.wheels()).write(lock);
    repo.log.clear();

    assertThatThrownBy(() -> base(request(uri.toString(), lock)))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.LOCK_FILE))
        .hasMessageContaining(lock.toString())
        .hasMessageContaining("(bash).sha256 is '../../../x.deb'")
        .hasMessageContaining("64 lower-case hexadecimal digits");
    assertThat(repo.log).isEmpty();
  }

  @Test
  void aLockfileFromAnotherRepositoryIsRefusedNamingIt() throws Exception {
    URI uri = repo.serve();
    Path lock = writeLock(request(uri.toString(), null), base(request(uri.toString(), null)));
    Files.writeString(lock, Files.readString(lock).replace(uri.toString(), "http://127.0.0.2:9/"));
    assertThatThrownBy(() -> base(request(uri.toString(), lock)))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.LOCK_FILE))
        .hasMessageContaining("from http://127.0.0.2:9/ test, which is not a configured repository")
        .hasMessageContaining("bundler:plan");
  }

  @Test
  void whatBundlerCannotRunOfTheUsersPackagesScriptsIsAWarningNamingThePackage() throws Exception {
    URI uri = repo.serve();
    base(request(uri.toString(), null, List.of("libextra")));
    assertThat(events.warnings()).filteredOn(line -> line.contains("postinst")).singleElement()
        .asString().contains("libextra (" + Parameter.RUNTIME_PACKAGES.named() + ")")
        .contains("/usr/lib/$(dpkg-architecture)/extra");
    assertThat(events.lines()).as("the runner's own package: a debug line")
        .anyMatch(line -> line.startsWith("Not run (uses shell variables), in the postinst of "
            + "uwsgi-core: "));
  }

  @Test
  void aPasswordProtectedMirrorGetsItsCredentialsAndNoFileLogOrLockKeepsThem() throws Exception {
    URI uri = repo.serve("ci", PASSWORD);
    String mirror = "http://ci:" + PASSWORD + "@" + uri.getAuthority() + "/";
    BundleRequest request = request(mirror, temp.resolve("bundler.lock.json"));
    Lockfile lock = Bundler.create(events).plan(request);
    assertThat(lock.debian()).hasSize(DebianStage.RUNNER_PACKAGES.size() + 1);
    List<BinaryPackage> packages = base(request);
    assertThat(packages).hasSize(DebianStage.RUNNER_PACKAGES.size() + 1);
    assertThat(repo.authorizations).isNotEmpty().allMatch(a -> a.startsWith("Basic "));

    List<Path> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(temp)) {
      for (Path file : files.toList()) {
        if (file.startsWith(temp.resolve("repo"))) {
          continue;
        }
        if (file.toString().contains(PASSWORD) || Files.isRegularFile(file)
            && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(PASSWORD)) {
          leaks.add(file);
        }
      }
    }
    assertThat(leaks).as("files holding the password").isEmpty();
    assertThat(events.lines()).isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
    assertThat(lock.debian()).allMatch(p -> p.repository().equals(uri.toString()));

    AtomicFiles.deleteRecursively(temp.resolve("cache"));
    String wrong = "http://ci:wrong@" + uri.getAuthority() + "/";
    assertThatThrownBy(() -> new DebianStage(request(wrong, null), events).runtimePackages())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_MIRROR))
        .hasMessageContaining("refused (HTTP 401)")
        .hasMessageContaining("USER:PASSWORD@")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));
  }
}
