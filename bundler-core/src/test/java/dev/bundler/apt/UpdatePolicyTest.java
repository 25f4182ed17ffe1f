package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.Digests;
import dev.bundler.testkit.EventLog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive is asked for its signed indexes as Maven asks repositories for snapshots: within
 * the update policy a build uses the cached, verified InRelease without any request; a check is
 * a conditional request, and a 304 keeps the cached file.
 */
class UpdatePolicyTest {
  @TempDir Path temp;
  private TestKey key;
  private Path keyring;
  private FixtureRepo repo;
  private URI uri;
  private final Instant now = Instant.now();
  private final EventLog events = new EventLog();

  @Test
  void parsesThePoliciesAndRefusesOthersNamingTheParameter() throws Exception {
    assertThat(UpdatePolicy.parse("always")).isEqualTo(UpdatePolicy.ALWAYS);
    assertThat(UpdatePolicy.parse("daily")).isEqualTo(UpdatePolicy.DAILY);
    assertThat(UpdatePolicy.parse(" Never ").kind()).isEqualTo(UpdatePolicy.Kind.NEVER);
    assertThat(UpdatePolicy.parse("interval:90").interval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(UpdatePolicy.parse("interval:90")).hasToString("interval:90");
    for (String bad : List.of("weekly", "interval:", "interval:0", "interval:-5", "interval:1h")) {
      assertThatThrownBy(() -> UpdatePolicy.parse(bad))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_UPDATE_POLICY))
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("interval:MINUTES");
    }
  }

  @Test
  void decidesWhenACheckIsDueAsMavenDoes() throws Exception {
    ZoneId zone = ZoneOffset.UTC;
    Instant checked = Instant.parse("2026-03-10T23:30:00Z");
    assertThat(UpdatePolicy.DAILY.due(checked, Instant.parse("2026-03-10T23:59:00Z"), zone)).isFalse();
    assertThat(UpdatePolicy.DAILY.due(checked, Instant.parse("2026-03-11T00:01:00Z"), zone))
        .as("daily: the first build after midnight checks").isTrue();
    UpdatePolicy hour = UpdatePolicy.parse("interval:60");
    assertThat(hour.due(checked, checked.plusSeconds(59 * 60), zone)).isFalse();
    assertThat(hour.due(checked, checked.plusSeconds(60 * 60), zone)).isTrue();
    assertThat(UpdatePolicy.ALWAYS.due(checked, checked, zone)).isTrue();
    assertThat(UpdatePolicy.parse("never").due(checked, checked.plusSeconds(86_400 * 365), zone))
        .isFalse();
    assertThat(UpdatePolicy.DAILY.due(checked.plusSeconds(86_400), checked, zone))
        .as("a check recorded in the future (a clock set back) is no reason to wait").isTrue();
  }

  private RepositoryLoader loader(UpdatePolicy policy, Instant now, boolean force, boolean offline) {
    return new RepositoryLoader(temp.resolve("cache"), offline, events, now, policy, force);
  }

  private AptConfig config(String... suites) {
    return new AptConfig(java.util.Arrays.stream(suites)
        .map(suite -> new AptSource(uri, suite, List.of("main"), null, false)).toList(),
        "amd64", keyring);
  }

  /** A signed archive with the package "first", served. */
  @BeforeEach
  void served() throws Exception {
    key = TestKey.generate();
    keyring = Files.write(temp.resolve("k.gpg"), key.publicKeyring());
    repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("first", "1.0");
    repo.publish(key, null);
    uri = repo.serve();
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  @Test
  void withinThePolicyABuildMakesNoRequestAndMvnUAsksConditionally() throws Exception {
    AptConfig config = config("test");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    assertThat(repo.log).containsExactly("GET /dists/test/InRelease",
        "GET /dists/test/main/binary-amd64/Packages.gz");

    repo.log.clear();
    assertThat(loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config)
        .candidate("first")).isNotNull();
    assertThat(loader(UpdatePolicy.parse("interval:60"), now.plusSeconds(59 * 60), false, false)
        .fingerprint(config)).isNotEmpty();
    assertThat(repo.log).as("a warm build within the policy asks nothing").isEmpty();

    loader(UpdatePolicy.DAILY, now.plusSeconds(60), true, false).load(config);
    assertThat(repo.log).as("-U asks, conditionally, and the 304 keeps the cached file")
        .containsExactly("GET /dists/test/InRelease [conditional]");

    repo.log.clear();
    loader(UpdatePolicy.parse("interval:60"), now.plusSeconds(61 * 60), false, false).load(config);
    assertThat(repo.log).containsExactly("GET /dists/test/InRelease [conditional]");

    repo.log.clear();
    loader(UpdatePolicy.parse("never"), now.plus(Duration.ofDays(30)), false, false).load(config);
    assertThat(repo.log).isEmpty();
  }

  @Test
  void aCheckFindsANewReleaseAndBetweenChecksTheCachedOneIsKept() throws Exception {
    AptConfig config = config("test");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    repo.add("second", "1.0");
    repo.publish(key, null);

    assertThat(loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config)
        .candidate("second")).as("within the day, the cached index").isNull();
    assertThat(loader(UpdatePolicy.ALWAYS, now.plusSeconds(60), false, false).load(config)
        .candidate("second")).as("a check sees the new Release").isNotNull();
  }

  @Test
  void aCachedInReleaseIsVerifiedWhenUsedAndFetchedAgainWhenItFails() throws Exception {
    AptConfig config = config("test");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    Path cached;
    try (var files = Files.list(temp.resolve("cache/lists"))) {
      cached = files.filter(f -> f.toString().endsWith("InRelease")).findFirst().orElseThrow();
    }
    String genuine = Files.readString(cached);
    Files.writeString(cached, genuine.replace("Codename: test", "Codename: evil"));
    repo.log.clear();

    loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config);
    assertThat(repo.log).as("fetched again, unconditionally")
        .containsExactly("GET /dists/test/InRelease");
    assertThat(Files.readString(cached)).isEqualTo(genuine);
    assertThat(events.warnings()).anySatisfy(w -> assertThat(w).contains(cached.toString(), "BAD"));

    Files.writeString(cached, genuine.replace("Codename: test", "Codename: evil"));
    assertThatThrownBy(() -> loader(UpdatePolicy.DAILY, now, false, true).load(config))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.CACHE_DIRECTORY))
        .hasMessageContaining(cached.toString())
        .hasMessageContaining("BAD")
        .hasMessageContaining("online (without " + Parameter.OFFLINE.named() + ")");
  }

  @Test
  void aMissingOptionalSuiteIsNotAskedForAgainWithinThePolicy() throws Exception {
    AptConfig config = config("test", "test-updates");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    assertThat(repo.log).contains("GET /dists/test-updates/InRelease");
    repo.log.clear();
    assertThat(loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config)
        .candidate("first")).isNotNull();
    assertThat(repo.log).isEmpty();
    assertThat(loader(UpdatePolicy.DAILY, now, false, true).load(config).candidate("first"))
        .as("offline, too").isNotNull();
  }

  @Test
  void whenTheIndexACachedReleaseNamesIsGoneTheSuiteIsCheckedAgain() throws Exception {
    AptConfig config = config("test");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    repo.add("second", "1.0");
    repo.publish(key, null);
    AtomicFiles.deleteRecursively(temp.resolve("cache/blobs"));
    repo.log.clear();

    assertThat(loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config)
        .candidate("second")).as("the index the cached Release names is gone: checked now")
        .isNotNull();
    assertThat(repo.log).containsExactly("GET /dists/test/main/binary-amd64/Packages.gz",
        "GET /dists/test/InRelease [conditional]", "GET /dists/test/main/binary-amd64/Packages.gz");
  }

  @Test
  void byHashTheIndexACachedReleaseNamesIsStillRead() throws Exception {
    repo.byHash().publish(key, null);
    AptConfig config = config("test");
    loader(UpdatePolicy.DAILY, now, false, false).load(config);
    String first = Digests.sha256Hex(repo.path("dists/test/main/binary-amd64/Packages.gz"));
    repo.add("second", "1.0");
    repo.publish(key, null);
    AtomicFiles.deleteRecursively(temp.resolve("cache/blobs"));
    repo.log.clear();

    assertThat(loader(UpdatePolicy.DAILY, now.plusSeconds(60), false, false).load(config)
        .candidate("second")).as("within the policy, the cached Release's index").isNull();
    assertThat(repo.log)
        .containsExactly("GET /dists/test/main/binary-amd64/by-hash/SHA256/" + first);
  }
}
