package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the container runtime on a PATH made in the test; the runs themselves, with podman and
 * docker, are in {@link ContainerRunnerIT}.
 */
class ContainerRunnerTest {
  @TempDir Path temp;

  @Test
  void missingRuntimesAreReportedWithTheFix() throws Exception {
    Map<String, String> noPath = Map.of("PATH", temp.toString());
    assertThatThrownBy(() -> ContainerRuntime.find(null, noPath))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("apt-get install podman")
        .hasMessageContaining(Parameter.WHEELHOUSE.toString());
    assertThatThrownBy(() -> ContainerRuntime.find("docker", noPath))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.CONTAINER_RUNTIME));
    assertThatThrownBy(() -> ContainerRuntime.find("/nowhere/podman", noPath))
        .hasMessageContaining("is not an executable file");

    Path fake = Files.createFile(temp.resolve("docker"));
    fake.toFile().setExecutable(true);
    ContainerRuntime found = ContainerRuntime.find(null, noPath);
    assertThat(found.kind()).isEqualTo(ContainerRuntime.Kind.DOCKER);
    assertThat(found.executable()).isEqualTo(fake);
  }
}
