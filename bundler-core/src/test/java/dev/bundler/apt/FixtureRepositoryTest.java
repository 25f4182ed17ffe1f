package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive code against a signed repository generated here, good and broken in each way. */
class FixtureRepositoryTest {
  @TempDir Path temp;

  FixtureRepo repo() {
    FixtureRepo repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("app", "1.0").field("Depends", "libfoo (>= 1.2), missing-thing | libbar, awk");
    repo.add("libfoo", "1.2-1").file("usr/lib/libfoo.so.1", "foo");
    repo.add("libfoo", "1.1-1");
    repo.add("libbar", "2.0").file("usr/lib/libbar.so.2", "bar");
    repo.add("mawk", "1.3").field("Provides", "awk").field("Priority", "required")
        .file("usr/bin/mawk", "#!/bin/sh\n")
        .postinst("update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5\n");
    repo.add("gawk", "5.2").field("Provides", "awk").field("Priority", "optional");
    repo.add("needs-new", "1.0").field("Depends", "libfoo (>= 3)");
    repo.add("fighter", "1.0").field("Conflicts", "libbar");
    repo.add("old-style", "1.0").file("bin/tool", "x").symlink("bin/tool2", "tool")
        .symlink("sbin/up", "../bin/tool");
    return repo;
  }

  private PackageIndex load(URI uri, Path keyring, boolean unsigned, boolean offline) throws Exception {
    AptConfig config = new AptConfig(
        List.of(new AptSource(uri, "test", List.of("main"), null, unsigned)), "amd64", keyring);
    return new RepositoryLoader(temp.resolve("cache"), offline, EventHandler.NONE, Instant.now())
        .load(config);
  }

  private Path keyring(TestKey key) throws Exception {
    return Files.write(temp.resolve("keyring-" + System.nanoTime() + ".gpg"), key.publicKeyring());
  }

  private static List<String> names(List<BinaryPackage> packages) {
    return packages.stream().map(p -> p.name() + "=" + p.version()).toList();
  }

  private static Resolver.Root root(String name) {
    return new Resolver.Root(new Relation(name, null, null, null), "test");
  }

  @Test
  void resolvesAlternativesVirtualPackagesAndVersions() throws Exception {
    TestKey key = TestKey.generate();
    try (FixtureRepo repo = repo().publish(key, ZonedDateTime.now(ZoneOffset.UTC).plusDays(7))) {
      PackageIndex index = load(repo.serve(), keyring(key), false, false);
      Resolver resolver = new Resolver(index, "amd64");
      assertThat(names(resolver.resolve(List.of(root("app")))))
          .containsExactly("app=1.0", "libfoo=1.2-1", "libbar=2.0", "mawk=1.3");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("needs-new"))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("libfoo (>= 3), needed by needs-new 1.0")
          .hasMessageContaining("libfoo has only version(s) 1.2-1, 1.1-1");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("no-such-package"))))
          .hasMessageContaining("no package no-such-package exists");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("app"), root("fighter"))))
          .hasMessageContaining("fighter 1.0 (amd64) conflicts with libbar 2.0");
    }
  }

  @Test
  void honoursMultiArchVersionedProvidesPreDependsAndBreaks() throws Exception {
    TestKey key = TestKey.generate();
    FixtureRepo repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("interp", "3.0").field("Multi-Arch", "allowed");
    repo.add("plain", "1.0");
    repo.add("helper", "1.0").field("Multi-Arch", "foreign");
    repo.add("doc", "1.0").field("Architecture", "all");
    repo.add("uses-interp", "1.0").field("Depends", "interp:any (>= 3)");
    repo.add("uses-plain", "1.0").field("Depends", "plain:any");
    repo.add("uses-helper", "1.0").field("Depends", "helper:any, helper:amd64");
    repo.add("uses-doc", "1.0").field("Depends", "doc:any");
    repo.add("mta-old", "1.0").field("Provides", "mail-transport (= 1)");
    repo.add("mta-new", "1.0").field("Provides", "mail-transport (= 2)");
    repo.add("mta-bare", "1.0").field("Provides", "mail-transport").field("Priority", "required");
    repo.add("mailer", "1.0").field("Depends", "mail-transport (>= 2)");
    repo.add("any-mailer", "1.0").field("Depends", "mail-transport");
    repo.add("early", "1.0").field("Pre-Depends", "plain (>= 1.0)");
    repo.add("breaker", "1.0").field("Breaks", "plain (<< 2)");
    repo.add("gentle", "1.0").field("Breaks", "plain (<< 1)");
    try (FixtureRepo served = repo.publish(key, null)) {
      Resolver resolver = new Resolver(load(served.serve(), keyring(key), false, false), "amd64");
      assertThat(names(resolver.resolve(List.of(root("uses-interp")))))
          .containsExactly("uses-interp=1.0", "interp=3.0");
      assertThat(names(resolver.resolve(List.of(root("uses-helper")))))
          .containsExactly("uses-helper=1.0", "helper=1.0");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("uses-plain"))))
          .as("plain:any needs Multi-Arch: allowed, as dpkg says")
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("plain:any");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("uses-doc"))))
          .isInstanceOf(InvalidInputException.class);
      assertThat(names(resolver.resolve(List.of(root("mailer")))))
          .as("only a versioned provide meets a versioned dependency")
          .containsExactly("mailer=1.0", "mta-new=1.0");
      assertThat(names(resolver.resolve(List.of(root("any-mailer")))))
          .as("among providers apt prefers the higher Priority")
          .containsExactly("any-mailer=1.0", "mta-bare=1.0");
      assertThat(names(resolver.resolve(List.of(root("early")))))
          .containsExactly("early=1.0", "plain=1.0");
      assertThatThrownBy(() -> resolver.resolve(List.of(root("early"), root("breaker"))))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("breaker 1.0 (amd64) conflicts with plain 1.0");
      assertThat(names(resolver.resolve(List.of(root("early"), root("gentle")))))
          .containsExactly("early=1.0", "plain=1.0", "gentle=1.0");
    }
  }

  @Test
  void refusesTamperedOrWronglySignedArchives() throws Exception {
    TestKey key = TestKey.generate();
    TestKey stranger = TestKey.generate();
    try (FixtureRepo repo = repo().publish(key, null)) {
      URI uri = repo.serve();
      Path release = repo.path("dists/test/InRelease");
      String signed = Files.readString(release);

      assertThatThrownBy(() -> load(uri, keyring(stranger), false, false))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_KEYRING))
          .hasMessageContaining("signed by unknown key");

      Files.writeString(release, signed.replace("Suite: test", "Suite: evil"));
      assertThatThrownBy(() -> load(uri, keyring(key), false, false))
          .hasMessageContaining("is BAD");

      Files.writeString(release, signed);
      Path packages = repo.path("dists/test/main/binary-amd64/Packages.gz");
      byte[] original = Files.readAllBytes(packages);
      Files.write(packages, FixtureRepo.gzip("Package: evil\nVersion: 1\n".getBytes()));
      assertThatThrownBy(() -> load(uri, keyring(key), false, false))
          .hasMessageContaining("does not match its signed index");
      Files.write(packages, original);
      assertThat(load(uri, keyring(key), false, false).candidate("app")).isNotNull();
    }
  }

  @Test
  void refusesExpiredReleasesAndKeys() throws Exception {
    TestKey key = TestKey.generate();
    try (FixtureRepo repo = repo().publish(key, ZonedDateTime.now(ZoneOffset.UTC).minusDays(1))) {
      URI uri = repo.serve();
      assertThatThrownBy(() -> load(uri, keyring(key), false, false))
          .hasMessageContaining("expired on").hasMessageContaining("Valid-Until");
    }
    TestKey expired = TestKey.generate(new Date(System.currentTimeMillis() - 10 * 86_400_000L), 86_400);
    try (FixtureRepo repo = new FixtureRepo(temp.resolve("repo2"))) {
      repo.add("x", "1");
      repo.publish(expired, null);
      URI uri = repo.serve();
      assertThatThrownBy(() -> load(uri, keyring(expired), false, false))
          .hasMessageContaining("expired");
    }
  }

  @Test
  void unsignedOnlyWithOptIn() throws Exception {
    try (FixtureRepo repo = repo().publish(null, null)) {
      URI uri = repo.serve();
      Path anyKeyring = keyring(TestKey.generate());
      assertThatThrownBy(() -> load(uri, anyKeyring, false, false))
          .hasMessageContaining("not a clearsigned message")
          .hasMessageContaining(Parameter.ALLOW_UNSIGNED.withValue("true"));
      assertThat(load(uri, anyKeyring, true, false).candidate("app")).isNotNull();
    }
  }

  @Test
  void offlineUsesTheCacheAndNothingElse() throws Exception {
    TestKey key = TestKey.generate();
    Path keyring;
    URI uri;
    try (FixtureRepo repo = repo().publish(key, null)) {
      uri = repo.serve();
      keyring = keyring(key);
      load(uri, keyring, false, false);
    }
    assertThat(load(uri, keyring, false, true).candidate("app")).isNotNull();
    Path cold = temp.resolve("cold");
    AptConfig config = new AptConfig(List.of(new AptSource(uri, "test", List.of("main"), null, false)),
        "amd64", keyring);
    assertThatThrownBy(() -> new RepositoryLoader(cold, true, EventHandler.NONE, Instant.now()).load(config))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("Offline");
  }

  @Test
  void fingerprintNamesThePackagesFilesByTheirSignedHashesWithoutReadingThem() throws Exception {
    TestKey key = TestKey.generate();
    FixtureRepo repo = repo().publish(key, null);
    try (repo) {
      URI uri = repo.serve();
      AptConfig config = new AptConfig(
          List.of(new AptSource(uri, "test", List.of("main"), null, false)), "amd64", keyring(key));
      String first = new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE,
          Instant.now()).fingerprint(config);
      assertThat(repo.requests.get()).as("only InRelease is fetched").isEqualTo(1);
      assertThat(first).contains(uri.toString(), "test main");
      assertThat(new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE,
          Instant.now()).fingerprint(config)).isEqualTo(first);
      repo.add("newcomer", "1.0");
      repo.publish(key, null);
      assertThat(new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE,
          Instant.now()).fingerprint(config)).isNotEqualTo(first);
    }
  }

  @Test
  void extraRepositoriesBringTheirOwnArmouredKey() throws Exception {
    TestKey key = TestKey.generate();
    java.io.ByteArrayOutputStream armored = new java.io.ByteArrayOutputStream();
    try (var out = org.bouncycastle.bcpg.ArmoredOutputStream.builder().build(armored)) {
      out.write(key.publicKeyring());
    }
    Path asc = Files.write(temp.resolve("vendor.asc"), armored.toByteArray());
    try (FixtureRepo repo = repo().publish(key, null)) {
      URI uri = repo.serve();
      AptConfig config = new AptConfig(List.of(), "amd64", keyring(TestKey.generate()))
          .withRepositories(List.of("deb [signed-by=" + asc + "] " + uri + " test main"));
      PackageIndex index = new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE,
          Instant.now()).load(config);
      assertThat(index.candidate("libfoo").version().toString()).isEqualTo("1.2-1");
      assertThatThrownBy(() -> config.withRepositories(List.of("not a repository")))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_REPOSITORIES))
          .hasMessageContaining("signed-by");
    }
  }
}
