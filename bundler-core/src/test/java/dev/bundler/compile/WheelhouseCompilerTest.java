package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.io.Redact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelhouseCompilerTest {
  @TempDir Path temp;

  private WheelhouseCompiler.Job job(String index, List<String> links) {
    return new WheelhouseCompiler.Job("compiler-1", "app[extra]==1.0", "python3.11", index, links,
        null, null);
  }

  @Test
  void theRunMountsSourcesReadOnlyAndKeepsSecretsOffTheCommandLine() throws Exception {
    Path links = Files.createDirectory(temp.resolve("links"));
    Path requirements = temp.resolve("requirements.txt");
    ContainerRun offline = WheelhouseCompiler.run(job(null, List.of(links.toString())),
        new ContainerRoot.Directory(temp.resolve("root")), temp.resolve("out"), requirements);
    assertThat(offline.network()).isFalse();
    assertThat(offline.command()).contains("--no-index", "--find-links", "/find-links/0",
        "--requirement", "/etc/bundler/requirements.txt");
    assertThat(WheelhouseCompiler.requirements(job(null, List.of(links.toString()))))
        .isEqualTo("app[extra]==1.0\n");
    assertThat(offline.mounts()).contains(
        new ContainerRun.Mount(requirements, "/etc/bundler/requirements.txt", true));
    assertThat(offline.mounts()).contains(new ContainerRun.Mount(links, "/find-links/0", true));
    assertThat(offline.user()).isEqualTo("1000:1000");

    String secret = "https://ci:s3cret@index.invalid/simple";
    String links2 = "https://ci:s3cret@links.invalid/wheels/";
    ContainerRun online = WheelhouseCompiler.run(job(secret, List.of(links2)),
        new ContainerRoot.Directory(temp.resolve("root")), temp.resolve("out"), requirements);
    assertThat(online.network()).isTrue();
    assertThat(String.join(" ", online.command())).as("argv is stored by podman, shown by ps")
        .doesNotContain("s3cret");
    assertThat(online.environment().values()).as("so is the environment")
        .noneMatch(value -> value.contains("s3cret"));
    assertThat(WheelhouseCompiler.requirements(job(secret, List.of(links2))))
        .isEqualTo("--index-url " + secret + "\n--find-links " + links2 + "\napp[extra]==1.0\n");
    assertThat(Redact.urls("pip failed for " + secret)).isEqualTo("pip failed for https://***@index.invalid/simple");
  }

  @Test
  void theCacheKeyFollowsEveryInput() throws Exception {
    Path links = Files.createDirectory(temp.resolve("links"));
    Files.writeString(links.resolve("a-1.0.tar.gz"), "one");
    String first = WheelhouseCompiler.key(job(null, List.of(links.toString())));
    assertThat(WheelhouseCompiler.key(job(null, List.of(links.toString())))).isEqualTo(first);
    Files.writeString(links.resolve("a-1.0.tar.gz"), "two");
    assertThat(WheelhouseCompiler.key(job(null, List.of(links.toString())))).isNotEqualTo(first);
    assertThat(WheelhouseCompiler.key(job("https://x.invalid/simple", List.of()))).isNotEqualTo(first);
  }
}
