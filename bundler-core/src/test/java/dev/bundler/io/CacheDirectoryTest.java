package dev.bundler.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirectoryTest {
  @TempDir Path temp;

  @Test
  void purgeDeletesATaggedCacheWithLinksButNotWhatTheyPointAt() throws Exception {
    Path outside = Files.writeString(temp.resolve("precious.txt"), "keep me");
    Path cache = temp.resolve("cache");
    CacheDirectory.mark(cache);
    assertThat(Files.readString(cache.resolve(CacheDirectory.TAG)))
        .startsWith("Signature: 8a477f597d28d172789f06886806bc55");
    Files.createDirectories(cache.resolve("layers/blobs"));
    Files.write(cache.resolve("layers/blobs/a"), new byte[4096]);
    Files.createSymbolicLink(cache.resolve("layers/link"), outside);
    Files.createSymbolicLink(cache.resolve("dirlink"), temp);
    CacheDirectory.mark(cache);

    assertThat(CacheDirectory.purge(cache)).isGreaterThanOrEqualTo(4096);
    assertThat(cache).doesNotExist();
    assertThat(outside).hasContent("keep me");
    assertThat(CacheDirectory.purge(cache)).as("nothing left to purge").isZero();
  }

  @Test
  void aDirectoryBundlerDidNotTagIsLeftAlone() throws Exception {
    Path home = Files.createDirectories(temp.resolve("home"));
    Files.writeString(home.resolve("thesis.tex"), "years of work");
    assertThatThrownBy(() -> CacheDirectory.purge(home))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.CACHE_DIRECTORY))
        .hasMessageContaining("not bundler's cache");
    assertThat(home.resolve("thesis.tex")).hasContent("years of work");

    Files.writeString(home.resolve("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
    assertThatThrownBy(() -> CacheDirectory.purge(home))
        .as("another tool's cache tag is not bundler's").isInstanceOf(InvalidInputException.class);
    assertThat(CacheDirectory.purge(Files.createDirectories(temp.resolve("empty")))).isZero();
    Path old = Files.createDirectories(temp.resolve("untagged-cache"));
    Files.createDirectories(old.resolve("layers/blobs"));
    Files.createDirectories(old.resolve("debian"));
    assertThat(CacheDirectory.isBundlers(old)).as("a cache from before the tag").isTrue();
    CacheDirectory.purge(old);
    assertThat(old).doesNotExist();
  }
}
