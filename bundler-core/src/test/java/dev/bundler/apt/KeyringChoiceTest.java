package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.events.EventHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyring the user names ({@code -Dbundler.debian.keyring}) wins over the {@code Signed-By} of
 * the machine's APT configuration; an empty, missing or unreadable one fails naming the
 * parameter.
 */
class KeyringChoiceTest {
  @TempDir Path temp;
  private FixtureRepo repo;
  private Path etcApt;
  private Path archiveKeyring;

  /** A signed archive, and a machine whose APT sources name it with Signed-By its keyring. */
  @BeforeEach
  void machine() throws Exception {
    TestKey key = TestKey.generate();
    repo = new FixtureRepo(temp.resolve("repo"));
    repo.add("app", "1.0");
    repo.publish(key, null);
    URI uri = repo.serve();
    archiveKeyring = Files.write(Files.createDirectories(temp.resolve("keyrings"))
        .resolve("debian-archive-keyring.gpg"), key.publicKeyring());
    etcApt = Files.createDirectories(temp.resolve("etc/apt/sources.list.d")).getParent();
    Files.writeString(etcApt.resolve("sources.list.d/debian.sources"), String.join("\n",
        "Types: deb", "URIs: " + uri, "Suites: test", "Components: main",
        "Signed-By: " + archiveKeyring, ""));
  }

  @AfterEach
  void stop() {
    repo.close();
  }

  private PackageIndex load(Path keyring) throws Exception {
    AptConfig config = AptConfig.of(null, "test", List.of("main"), "amd64", keyring, false, etcApt);
    return new RepositoryLoader(temp.resolve("cache"), false, EventHandler.NONE, Instant.now())
        .load(config);
  }

  @Test
  void withoutAKeyringTheMachinesSignedByIsUsed() throws Exception {
    assertThat(load(null).candidate("app")).isNotNull();
    assertThat(load(archiveKeyring).candidate("app")).isNotNull();
  }

  @Test
  void aWrongKeyringTheUserNamesWinsOverSignedByAndFails() throws Exception {
    Path stranger = Files.write(temp.resolve("stranger.gpg"), TestKey.generate().publicKeyring());
    assertThatThrownBy(() -> load(stranger))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_KEYRING))
        .hasMessageContaining("signed by unknown key")
        .hasMessageContaining(stranger.toString());
  }

  @Test
  void anEmptyMissingOrUnreadableKeyringFailsNamingTheParameterBeforeAnyRequest() throws Exception {
    Path empty = Files.createFile(temp.resolve("empty.gpg"));
    Path garbage = Files.writeString(temp.resolve("garbage.gpg"), "not a key\n");
    Path directory = Files.createDirectories(temp.resolve("a-directory.gpg"));
    for (Path bad : List.of(empty, garbage, directory, temp.resolve("missing.gpg"))) {
      assertThatThrownBy(() -> load(bad))
          .as(bad.toString())
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_KEYRING))
          .hasMessageContaining(bad.toString())
          .hasMessageContaining("given by " + Parameter.DEBIAN_KEYRING.named());
    }
    assertThat(repo.log).isEmpty();

    Files.delete(archiveKeyring);
    assertThatThrownBy(() -> load(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.DEBIAN_KEYRING))
        .hasMessageContaining("named by Signed-By")
        .hasMessageContaining("does not exist");
  }
}
