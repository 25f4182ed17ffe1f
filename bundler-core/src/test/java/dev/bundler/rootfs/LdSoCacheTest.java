package dev.bundler.rootfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.layer.LayerEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linker cache's ordering and link resolution on trees made in the test; the comparison with
 * {@code ldconfig} is in {@link LdSoCacheIT}.
 */
class LdSoCacheTest {

  @Test
  void libraryOrderComparesDigitRunsAsNumbers() {
    assertThat(LdSoCache.libraryOrder("libz3.so", "libzstd.so")).isPositive();
    assertThat(LdSoCache.libraryOrder("libfoo.so.10", "libfoo.so.9")).isPositive();
    assertThat(LdSoCache.libraryOrder("libz.so", "libz.so.1")).isNegative();
    assertThat(LdSoCache.libraryOrder("libz.so.1", "libz.so.1")).isZero();
  }

  @Test
  void resolvesLinksThroughMergedUsr() {
    FileTree tree =
        FileTree.of(
            List.of(
                List.of(
                    LayerEntry.symlink("lib", "usr/lib"),
                    LayerEntry.directory("usr/lib/x", 0755, 0, 0),
                    LayerEntry.text("usr/lib/x/real", 0644, "r"),
                    LayerEntry.symlink("usr/lib/x/rel", "../x/./real"),
                    LayerEntry.symlink("usr/lib/x/abs", "/lib/x/rel"),
                    LayerEntry.symlink("usr/lib/x/loop", "loop"))));
    assertThat(tree.resolve("/lib/x/abs").orElseThrow().path()).isEqualTo("usr/lib/x/real");
    assertThat(tree.realDirectory("/lib/x")).isEqualTo("usr/lib/x");
    assertThat(tree.resolve("lib/x/loop")).isEmpty();
    assertThat(tree.list("usr/lib/x")).containsExactly("abs", "loop", "real", "rel");
  }
}
