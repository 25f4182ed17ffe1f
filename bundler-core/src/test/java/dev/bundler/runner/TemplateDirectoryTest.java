package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.BundleRequest;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project's templates directory is untrusted input: only its own regular files are shipped
 * (issue 8, cause 3: {@code nginx.conf -> /etc/shadow} shipped the host's shadow file).
 */
class TemplateDirectoryTest {
  @TempDir Path temp;

  private Path templates() throws Exception {
    return Files.createDirectories(temp.resolve("templates"));
  }

  private static void assertRefused(Path directory, String... texts) {
    assertThatThrownBy(() -> RunnerFiles.withOverrides(directory))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).parameter()).contains(Parameter.TEMPLATES))
        .hasMessageContaining("The templates directory " + directory + " ("
            + Parameter.TEMPLATES.named() + ") holds")
        .hasMessageContainingAll(texts);
    assertThatThrownBy(() -> BundleRequest.builder().packageSpec("demo==1.0")
        .templates(directory.toString()).build())
        .as("the request is refused when it is built, before anything is read or written")
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContainingAll(texts);
  }

  @Test
  void aLinkToTheHostsShadowFileIsRefused() throws Exception {
    Path directory = templates();
    Files.createSymbolicLink(directory.resolve("nginx.conf"), Path.of("/etc/shadow"));
    assertRefused(directory, "nginx.conf as a symbolic link to /etc/shadow", "copy the file");
  }

  @Test
  void aLinkOutsideOrInsideTheDirectoryIsRefused() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret"), "not for the image");
    Path directory = templates();
    Files.createSymbolicLink(directory.resolve("uwsgi.ini"), Path.of("../secret"));
    assertRefused(directory, "uwsgi.ini as a symbolic link to ../secret");

    Files.delete(directory.resolve("uwsgi.ini"));
    Files.writeString(directory.resolve("nginx.conf"), "events {}\n");
    Files.createSymbolicLink(directory.resolve("uwsgi.ini"), Path.of("nginx.conf"));
    assertRefused(directory, "uwsgi.ini as a symbolic link to nginx.conf");
    assertThat(secret).hasContent("not for the image");
  }

  @Test
  void aHardLinkADirectoryOrAHugeFileIsRefused() throws Exception {
    Path outside = Files.writeString(temp.resolve("elsewhere.conf"), "events {}\n");
    Path directory = templates();
    Files.createLink(directory.resolve("nginx.conf"), outside);
    assertRefused(directory, "nginx.conf with 2 hard links");

    Files.delete(directory.resolve("nginx.conf"));
    Files.createDirectory(directory.resolve("nginx.conf"));
    assertRefused(directory, "nginx.conf, which is not a regular file");

    Files.delete(directory.resolve("nginx.conf"));
    Files.write(directory.resolve("nginx.conf"), new byte[TemplateDirectory.MAX_BYTES + 1]);
    assertRefused(directory, "a template is at most " + TemplateDirectory.MAX_BYTES + " bytes");
  }

  @Test
  void theDirectorysOwnFilesReplaceTheShippedOnes() throws Exception {
    Path real = templates();
    Files.writeString(real.resolve("nginx.conf"), "events {}\n");
    Path linkedDirectory = Files.createSymbolicLink(temp.resolve("linked"), real);
    for (Path directory : new Path[] {real, linkedDirectory}) {
      assertThat(new String(RunnerFiles.withOverrides(directory).get("nginx.conf"),
          StandardCharsets.UTF_8)).isEqualTo("events {}\n");
    }
    assertThat(RunnerFiles.withOverrides(real).get("uwsgi.ini"))
        .isEqualTo(RunnerFiles.template("uwsgi.ini"));
  }
}
