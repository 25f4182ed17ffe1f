package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.io.CacheSeal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytecode cache under builds that share it: a unit stored twice keeps the first whole copy,
 * so that a build reading it while another stores the same unit never finds it gone; a damaged
 * unit is replaced.
 */
class BytecodeStoreTest {
  private static final String KEY = "a".repeat(64);

  @TempDir Path temp;
  int trees;

  private Path compiled(String content) throws Exception {
    Path tree = temp.resolve("compiled-" + ++trees);
    Files.createDirectories(tree.resolve("pkg/__pycache__"));
    Files.writeString(tree.resolve("pkg/__pycache__/mod.cpython-311.pyc"), content);
    return tree;
  }

  private static String content(Map<String, byte[]> unit) {
    return new String(unit.get("pkg/__pycache__/mod.cpython-311.pyc"), StandardCharsets.UTF_8);
  }

  @Test
  void aUnitStoredAgainKeepsTheFirstWholeCopyAndADamagedOneIsReplaced() throws Exception {
    Bytecode store = new Bytecode(temp.resolve("cache"), CacheSeal.withKey(new byte[32]));
    Path first = compiled("first");
    store.store(KEY, first);
    Path second = compiled("second");
    store.store(KEY, second);
    assertThat(content(store.load(KEY))).isEqualTo("first");
    assertThat(second).doesNotExist();

    Files.writeString(store.tree(KEY).resolve("pkg/__pycache__/mod.cpython-311.pyc"), "tampered");
    store.store(KEY, compiled("third"));
    assertThat(content(store.load(KEY))).isEqualTo("third");
  }

  @Test
  void buildsStoringAndReadingOneUnitAtOnceAlwaysReadIt() throws Exception {
    Bytecode store = new Bytecode(temp.resolve("cache"), CacheSeal.withKey(new byte[32]));
    store.store(KEY, compiled("same"));
    List<Path> trees = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      trees.add(compiled("same"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (Path tree : trees) {
        work.add(pool.submit(() -> {
          store.store(KEY, tree);
          return null;
        }));
        work.add(pool.submit(() -> {
          assertThat(store.load(KEY)).as("the unit, while another build stores it").isNotNull();
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(content(store.load(KEY))).isEqualTo("same");
  }
}
