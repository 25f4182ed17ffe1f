package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.LayerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRootsTest {
  static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path temp;
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final AtomicInteger layouts = new AtomicInteger();

  private ContainerRoots roots() {
    EventHandler events = event -> {
      if (event instanceof BundlerEvent.Log line && line.level() == BundlerEvent.Level.WARN) {
        warnings.add(line.message());
      }
    };
    return new ContainerRoots(temp.resolve("roots"), temp.resolve("tmp"),
        CacheSeal.withKey(new byte[] {7}), events);
  }

  private Path tree(ContainerRoots roots) throws Exception {
    return roots.tree(KEY, "test root", () -> {
      layouts.incrementAndGet();
      return List.of(List.of(LayerEntry.text("usr/bin/python3.11", 0755, "#!interpreter\n"),
          LayerEntry.text("etc/os-release", 0644, "ID=debian\n")));
    });
  }

  @Test
  void aCheckReadsOnlyAndFindsATreeChangedSinceItWasLaidOut() throws Exception {
    ContainerRoots roots = roots();
    assertThat(roots.laidOut(KEY)).isFalse();
    assertThat(roots.checked(KEY, "test root")).as("nothing laid out yet").isNull();
    Path tree = tree(roots);
    assertThat(roots.laidOut(KEY)).isTrue();
    assertThat(roots.checked(KEY, "test root")).isEqualTo(tree);
    assertThat(tree(roots)).isEqualTo(tree);
    assertThat(layouts).hasValue(1);

    Files.writeString(tree.resolve("usr/bin/python3.11"), "#!evil\n");
    assertThat(roots.checked(KEY, "test root")).as("a changed file").isNull();
    assertThat(tree.resolve("usr/bin/python3.11")).as("a check never lays it out")
        .hasContent("#!evil\n");
    assertThat(layouts).hasValue(1);

    assertThat(tree(roots).resolve("usr/bin/python3.11")).hasContent("#!interpreter\n");
    assertThat(layouts).hasValue(2);
    assertThat(warnings).singleElement().asString().contains("does not match its recorded digest");
    assertThat(roots.checked(KEY, "test root")).isEqualTo(tree);
  }
}
