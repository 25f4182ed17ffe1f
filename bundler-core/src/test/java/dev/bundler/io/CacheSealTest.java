package dev.bundler.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheSealTest {
  @TempDir Path temp;

  @Test
  void aSealedRecordOpensOnlyWithItsKeyAndUnchanged() {
    CacheSeal seal = CacheSeal.withKey("one".getBytes(StandardCharsets.UTF_8));
    byte[] content = "{\"digest\":\"sha256:abc\"}\nsecond line".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = seal.seal(content);

    assertThat(seal.open(sealed)).isEqualTo(content);
    assertThat(CacheSeal.withKey("two".getBytes(StandardCharsets.UTF_8)).open(sealed))
        .as("another key's record").isNull();
    byte[] forged = sealed.clone();
    forged[3] ^= 1;
    assertThat(seal.open(forged)).as("a changed record").isNull();
    assertThat(seal.open(content)).as("an unsealed record").isNull();
    assertThat(seal.open(new byte[0])).isNull();
    assertThat(seal.open(seal.seal(new byte[0]))).isEmpty();
  }

  @Test
  void theUsersKeyIsMadeOnceOutsideTheCacheWithPrivateMode() throws Exception {
    CacheSeal first = CacheSeal.load(Map.of("XDG_CONFIG_HOME", temp.toString()), temp);
    Path file = temp.resolve("bundler/cache.key");
    assertThat(file).exists();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    CacheSeal again = CacheSeal.load(Map.of("XDG_CONFIG_HOME", temp.toString()), temp);
    byte[] sealed = first.seal(new byte[] {42});
    assertThat(again.open(sealed)).containsExactly(42);

    CacheSeal fromCi = CacheSeal.load(Map.of(CacheSeal.KEY_VARIABLE, "ci secret"), temp);
    assertThat(fromCi.open(sealed)).as("the CI key is another key").isNull();
    assertThat(CacheSeal.load(Map.of(CacheSeal.KEY_VARIABLE, "ci secret"), temp.resolve("x"))
        .open(fromCi.seal(new byte[] {1}))).containsExactly(1);
  }
}
