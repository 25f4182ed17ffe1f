package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** The core's failures as Maven shows them: its kind, and no reference left unspelt. */
class FailuresTest {
  private static final MavenSpelling SPELLING = new MavenSpelling(property -> false);

  @Test
  void theFailureAndEveryCauseMavenPrintsAreSpelt() {
    IOException io = new IOException("disk full");
    InvalidInputException inner = new InvalidInputException(Parameter.FROM,
        "cannot read it: fix " + Parameter.FROM, io);
    InvalidInputException outer = new InvalidInputException(Parameter.FROM,
        "The base image (" + Parameter.FROM.named() + ") is unusable: " + inner.getMessage(), inner);

    Throwable thrown = catchThrowable(() -> Failures.rethrow(outer, SPELLING));

    assertThat(thrown).isInstanceOf(MojoFailureException.class)
        .hasMessage("The base image (bundler.from) is unusable: cannot read it: fix -Dbundler.from "
            + "(<from> in the pom)");
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(Parameter.referencedIn(t.getMessage())).as(t.toString()).isEmpty();
    }
    assertThat(thrown.getCause().toString()).startsWith(InvalidInputException.class.getName() + ": ");
    assertThat(thrown.getCause().getStackTrace()).isEqualTo(outer.getStackTrace());
    assertThat(thrown.getCause().getCause().getCause()).as("a cause with nothing to spell")
        .isSameAs(io);
  }

  @Test
  void theEnvironmentsFailuresAreExecutionExceptions() {
    EnvironmentException offline = new EnvironmentException("Offline (" + Parameter.OFFLINE.named()
        + "): the index is not cached");
    assertThat(catchThrowable(() -> Failures.rethrow(offline, SPELLING)))
        .isInstanceOf(MojoExecutionException.class)
        .hasMessage("Offline (-o): the index is not cached");
    EnvironmentException plain = new EnvironmentException("unreachable");
    assertThat(catchThrowable(() -> Failures.rethrow(plain, SPELLING)).getCause()).isSameAs(plain);
  }
}
