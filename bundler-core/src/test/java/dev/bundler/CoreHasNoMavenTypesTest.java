package dev.bundler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** bundler-core is usable from any JVM program: it must not see Maven, nor speak its syntax. */
class CoreHasNoMavenTypesTest {

  @Test
  void noSourceFileImportsMaven() throws IOException {
    Path sources = Path.of("src", "main", "java");
    assertThat(sources).isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(sources)) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(CoreHasNoMavenTypesTest::mentionsMaven)
              .map(Path::toString)
              .toList();
    }
    assertThat(offenders).as("files of bundler-core using org.apache.maven").isEmpty();
  }

  /**
   * Messages refer to parameters ({@link Parameter}) and the front end spells them: no code line
   * of the core writes Maven's {@code -Dbundler.x}, {@code -Dpackage} or {@code <x> in the pom}.
   */
  @Test
  void noMessageSpellsAMavenParameter() throws IOException {
    java.util.regex.Pattern maven =
        java.util.regex.Pattern.compile("\"[^\"]*(-D(bundler\\.|package|version)|in the pom)");
    List<String> offenders = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (!line.startsWith("*") && !line.startsWith("//") && maven.matcher(line).find()) {
            offenders.add(file + ":" + (i + 1) + ": " + line);
          }
        }
      }
    }
    assertThat(offenders).as("core lines spelling a Maven parameter").isEmpty();
  }

  @Test
  void noMavenClassIsOnTheCoreClasspath() {
    assertThat(canLoad("org.apache.maven.plugin.AbstractMojo")).isFalse();
    assertThat(canLoad("org.apache.maven.project.MavenProject")).isFalse();
  }

  private static boolean mentionsMaven(Path file) {
    try {
      return Files.readString(file).contains("org.apache.maven");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean canLoad(String name) {
    try {
      Class.forName(name, false, CoreHasNoMavenTypesTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
