package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.Parameter;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The core's references to parameters, as Maven users read them. */
class MavenSpellingTest {
  private static final MavenSpelling POM = new MavenSpelling(property -> false);

  @Test
  void aParameterToSetIsItsPropertyAndItsPomElementUnlessTheCommandLineGaveIt() {
    String message = "set " + Parameter.PYTHON + " to 3.9, 3.11 or 3.13";
    assertThat(POM.render(message))
        .isEqualTo("set -Dbundler.python (<python> in the pom) to 3.9, 3.11 or 3.13");
    assertThat(new MavenSpelling(Set.of("bundler.python")::contains).render(message))
        .isEqualTo("set -Dbundler.python to 3.9, 3.11 or 3.13");
  }

  @Test
  void aValueIsACommandLinePropertyAndANameInPassingTheProperty() {
    assertThat(POM.render(Parameter.PACKAGE.withValue("NAME==VERSION") + ", "
        + Parameter.ARCHITECTURE.withValue("arm64") + " (" + Parameter.TEMPLATES.named() + ", "
        + Parameter.PACKAGE.named() + ")"))
        .isEqualTo("-Dpackage=NAME==VERSION, -Dbundler.architecture=arm64 (bundler.templates, "
            + "-Dpackage)");
  }

  @Test
  void offlineAndUpdateAreMavensSwitches() {
    assertThat(POM.render("run without " + Parameter.OFFLINE.named() + ", or with "
        + Parameter.FORCE_UPDATE)).isEqualTo("run without -o, or with -U");
  }
}
