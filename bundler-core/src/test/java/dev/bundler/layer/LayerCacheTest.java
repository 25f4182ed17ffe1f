package dev.bundler.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
  @TempDir Path temp;

  @Test
  void secondRequestForAKeyIsServedWithoutWriting() throws Exception {
    LayerCache cache = LayerCache.at(temp);
    AtomicInteger built = new AtomicInteger();
    LayerCache.Source source =
        () -> {
          built.incrementAndGet();
          return List.of(LayerEntry.text("etc/motd", 0644, "hello\n"));
        };
    String key = CacheKey.of("test/1").with("motd", "hello").build();

    Layer first = cache.computeIfAbsent(key, LayerWriter.create(), source);
    Layer second = cache.computeIfAbsent(key, LayerWriter.create(), source);

    assertThat(built).hasValue(1);
    assertThat(second).isEqualTo(first);
    assertThat(first.blob()).startsWith(temp).hasFileName(first.digestHex());
    assertThat(Files.list(temp.resolve("tmp"))).isEmpty();
  }

  @Test
  void damagedBlobIsAMissAndIsRewritten() throws Exception {
    LayerCache cache = LayerCache.at(temp);
    String key = CacheKey.of("test/1").build();
    LayerCache.Source source = () -> List.of(LayerEntry.text("a", 0644, "a"));
    Layer layer = cache.computeIfAbsent(key, LayerWriter.create(), source);
    Files.write(layer.blob(), new byte[] {1, 2, 3});

    assertThat(cache.get(key)).isEmpty();
    Layer again = cache.computeIfAbsent(key, LayerWriter.create(), source);
    assertThat(again.digest()).isEqualTo(layer.digest());
    assertThat(Digests.sha256Hex(again.blob())).isEqualTo(layer.digestHex());
  }

  @Test
  void concurrentWritersOfOneKeyAgree() throws Exception {
    LayerCache cache = LayerCache.at(temp);
    String key = CacheKey.of("test/1").with("n", 8).build();
    List<LayerEntry> entries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      entries.add(LayerEntry.text("data/file-" + i, 0644, "content " + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Layer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<Layer> task =
            () -> LayerCache.at(temp).computeIfAbsent(key, LayerWriter.create(), () -> entries);
        results.add(pool.submit(task));
      }
      Layer expected = results.get(0).get();
      for (Future<Layer> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
      assertThat(Digests.sha256Hex(expected.blob())).isEqualTo(expected.digestHex());
      assertThat(cache.get(key)).contains(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysDependOnEveryInputAndItsBoundaries() {
    String a = CacheKey.of("k").with("x", "ab").with("y", "c").build();
    String b = CacheKey.of("k").with("x", "a").with("y", "bc").build();
    String c = CacheKey.of("k").with("x", "ab").with("y", "c").build();
    assertThat(a).isNotEqualTo(b).isEqualTo(c).hasSize(64);
  }
}
