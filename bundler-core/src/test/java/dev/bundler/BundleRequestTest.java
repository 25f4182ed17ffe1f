package dev.bundler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.image.BaseImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRequestTest {
  @TempDir Path temp;

  private BundleRequest.Builder builder() {
    return BundleRequest.builder().workingDirectory(temp).cacheDirectory(temp.resolve("cache"));
  }

  @Test
  void defaults() throws Exception {
    BundleRequest request = builder().packageSpec("Milborne==0.4.0.dev2015041600284").build();
    assertThat(request.application().name()).isEqualTo("Milborne");
    assertThat(request.application().version()).isEqualTo("0.4.0.dev2015041600284");
    assertThat(request.python()).isEqualTo("3.11");
    assertThat(request.base()).isInstanceOf(BaseImage.Debian.class);
    assertThat(request.image()).isEqualTo("bundler/milborne:0.4.0.dev2015041600284");
    assertThat(request.outputDirectory()).isEqualTo(temp.resolve("target/bundler"));
    assertThat(request.appUser()).isEqualTo("app");
    assertThat(request.architecture()).isEqualTo("amd64");
    assertThat(builder().packageSpec("milborne==0.4.0.dev2015041600284").namespace("bluesolutions")
        .build().image()).isEqualTo("bluesolutions/milborne:0.4.0.dev2015041600284");
    assertThat(builder().packageSpec("milborne==1.0").namespace("127.0.0.1:5000/team")
        .build().image()).isEqualTo("127.0.0.1:5000/team/milborne:1.0");
    assertThat(builder().packageSpec("milborne==1.0").namespace("other").image("mine/app:2")
        .build().image()).isEqualTo("mine/app:2");
    assertThatThrownBy(() -> builder().packageSpec("milborne==1.0").namespace("Bad Space").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.NAMESPACE));
  }

  @Test
  void packageForms() throws Exception {
    PackageSpec split = builder().packageSpec("milborne").version("0.4.0").build().application();
    assertThat(split.toString()).isEqualTo("milborne==0.4.0");
    PackageSpec extras = builder().packageSpec("milborne[Postgres, redis]==1.0+local").build().application();
    assertThat(extras.extras()).containsExactly("postgres", "redis");
    assertThat(builder().packageSpec("a==1.0+local").build().image()).isEqualTo("bundler/a:1.0_local");

    Path wheel = Files.createFile(temp.resolve("my_app-2.0-py3-none-any.whl"));
    PackageSpec fromWheel = builder().packageSpec("my_app-2.0-py3-none-any.whl").build().application();
    assertThat(fromWheel.wheel()).isEqualTo(wheel);
    assertThat(fromWheel.normalizedName()).isEqualTo("my-app");
    assertThat(fromWheel.version()).isEqualTo("2.0");
  }

  @Test
  void thePythonPicksTheDebianSuiteAndASuiteItsPython() throws Exception {
    assertThat(builder().packageSpec("a==1").build().debian().suite()).isEqualTo("bookworm");
    assertThat(builder().packageSpec("a==1").python("3.13").build().debian().suite()).isEqualTo("trixie");
    assertThat(builder().packageSpec("a==1").python("3.9").build().debian().suite()).isEqualTo("bullseye");
    BundleRequest trixie = builder().packageSpec("a==1")
        .debian(DebianSettings.defaults().withSuite("trixie")).build();
    assertThat(trixie.python()).isEqualTo("3.13");
    BundleRequest given = builder().packageSpec("a==1").python("3.11")
        .debian(DebianSettings.defaults().withSuite("trixie")).build();
    assertThat(given.debian().suite()).as("a named suite is kept").isEqualTo("trixie");
    assertThat(given.python()).isEqualTo("3.11");
    assertFails(builder().packageSpec("a==1").python("3.12"), Parameter.PYTHON,
        "3.9 (bullseye), 3.11 (bookworm), 3.13 (trixie)");
    assertThat(builder().packageSpec("a==1").python("3.12").from("scratch").build().python())
        .as("without the Debian base, any Python").isEqualTo("3.12");
  }

  @Test
  void badValuesNameTheirParameter() throws Exception {
    assertFails(builder(), Parameter.PACKAGE, Parameter.PACKAGE + " to NAME==VERSION");
    // -Dpackage=NAME alone means the newest version offered (issue 9, part 4): no error.
    assertThat(builder().packageSpec("milborne").build().application().pinned()).isFalse();
    assertFails(builder().packageSpec("mil borne==1"), Parameter.PACKAGE, "not a package requirement");
    assertFails(builder().packageSpec("a==1").version("2"), Parameter.VERSION, "disagree");
    assertFails(builder().packageSpec("missing-1.0-py3-none-any.whl"), Parameter.PACKAGE, "does not exist");
    assertFails(builder().packageSpec("a==1").python("python3"), Parameter.PYTHON, "MAJOR.MINOR");
    assertFails(builder().packageSpec("a==1").wheelhouse("nowhere"), Parameter.WHEELHOUSE, "not a directory");
    assertFails(builder().packageSpec("a==1").appUser("root", 0, 0), Parameter.APP_USER, "unprivileged");
    assertFails(builder().packageSpec("a==1").architecture("sparc"), Parameter.ARCHITECTURE, "amd64 or arm64");
    assertFails(builder().packageSpec("a==1").from("base.tar"), Parameter.FROM, "does not exist");
  }

  private static void assertFails(BundleRequest.Builder builder, Parameter parameter, String message) {
    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(parameter))
        .hasMessageContaining(message);
  }
}
