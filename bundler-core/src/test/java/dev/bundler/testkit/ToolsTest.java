package dev.bundler.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test kit's tool runner never hangs a test: its timeout fires whatever the tool does. */
class ToolsTest {

  @Test
  void aHungToolFailsWithItsCommandAndOutputWhenItsTimeoutFires() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        assertThatThrownBy(() -> Tools.run(List.of("sh", "-c", "echo started; exec sleep 60"),
            null, Map.of(), Duration.ofSeconds(1)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("sh -c echo started; exec sleep 60 did not finish in 1 s")
            .hasMessageContaining("its output so far:\nstarted"));
  }

  @Test
  void aChildLeftBehindWithTheOutputOpenDoesNotHoldTheRun() {
    Tools.Result result = assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
        Tools.run(List.of("sh", "-c", "sleep 30 & echo parent done"), null, Map.of(),
            Duration.ofSeconds(60)));
    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).isEqualTo("parent done\n");
  }

  @Test
  void theEnvironmentIsAddedAndStdinIsEmpty() throws Exception {
    Tools.Result result = Tools.run(List.of("sh", "-c", "cat; echo \"$BUNDLER_TOOLS_TEST\""),
        null, Map.of("BUNDLER_TOOLS_TEST", "given"), Duration.ofSeconds(30));
    assertThat(result.output()).isEqualTo("given\n");
  }
}
