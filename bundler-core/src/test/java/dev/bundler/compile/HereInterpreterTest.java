package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HereInterpreterTest {
  @TempDir Path tree;

  private void file(String path) throws Exception {
    Path file = tree.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "ELF");
  }

  @Test
  void theRootsLoaderRunsTheRootsProgramWithTheRootsLibrariesOnly() throws Exception {
    file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    file("usr/bin/python3.11");
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "amd64")).isEqualTo(List.of(
        tree + "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "--inhibit-cache",
        "--library-path", tree + "/usr/lib/x86_64-linux-gnu:" + tree + "/usr/lib",
        tree + "/usr/bin/python3.11"));
    file("usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "arm64")).first()
        .isEqualTo(tree + "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");
  }

  @Test
  void nothingIsReachedThroughALinkWhichCouldPointAtThisMachinesFiles() throws Exception {
    file("usr/bin/python3.11");
    Files.createDirectories(tree.resolve("usr/lib"));
    Files.createSymbolicLink(tree.resolve("usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"));
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "amd64"))
        .as("a linked library directory").isNull();

    Files.delete(tree.resolve("usr/lib/x86_64-linux-gnu"));
    file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    Files.delete(tree.resolve("usr/bin/python3.11"));
    Files.createSymbolicLink(tree.resolve("usr/bin/python3.11"), Path.of("/usr/bin/python3"));
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "amd64"))
        .as("a linked program").isNull();
  }

  @Test
  void aMissingLoaderProgramOrArchitectureIsNoCommand() throws Exception {
    file("usr/bin/python3.11");
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "amd64")).isNull();
    file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.12", "amd64")).isNull();
    assertThat(HereInterpreter.command(tree, "/usr/bin/../bin/python3.11", "amd64")).isNull();
    assertThat(HereInterpreter.command(tree, "/usr/bin/python3.11", "riscv64")).isNull();
  }
}
