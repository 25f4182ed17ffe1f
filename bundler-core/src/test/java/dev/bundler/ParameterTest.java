package dev.bundler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.apt.AptConfig;
import dev.bundler.apt.UpdatePolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one definition of the parameters, and how messages refer to them. */
class ParameterTest {
  /** A spelling of another build tool's, to show that the core's messages are not Maven's. */
  private static final ParameterSpelling GRADLE = new ParameterSpelling() {
    @Override
    public String toSet(Parameter parameter) {
      return "bundler." + parameter.id();
    }

    @Override
    public String withValue(Parameter parameter, String value) {
      return "bundler." + parameter.id() + " = '" + value + "'";
    }

    @Override
    public String named(Parameter parameter) {
      return "'" + parameter.id() + "'";
    }
  };

  @TempDir Path temp;

  @Test
  void namesAndPropertiesAreUnique() {
    assertThat(Arrays.stream(Parameter.values()).map(Parameter::id)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(Parameter.values()).map(Parameter::property)
        .filter(java.util.Objects::nonNull)).doesNotHaveDuplicates();
    for (Parameter parameter : Parameter.values()) {
      assertThat(Parameter.byId(parameter.id())).contains(parameter);
      assertThat(parameter.meaning()).isNotBlank();
    }
    assertThat(Parameter.byId("appUid")).as("the uid is not a parameter").isEmpty();
  }

  @Test
  void aSpellingRendersEachFormOfReference() {
    String message = "set " + Parameter.PYTHON + " to 3.11, or give "
        + Parameter.ARCHITECTURE.withValue("arm64") + " (" + Parameter.TEMPLATES.named() + ")";
    assertThat(GRADLE.render(message)).isEqualTo(
        "set bundler.python to 3.11, or give bundler.architecture = 'arm64' ('templates')");
    assertThat(ParameterSpelling.NAMES.render(message))
        .isEqualTo("set python to 3.11, or give architecture=arm64 (templates)");
    assertThat(Parameter.referencedIn(message))
        .containsExactlyInAnyOrder(Parameter.PYTHON, Parameter.ARCHITECTURE, Parameter.TEMPLATES);
  }

  @Test
  void aValueKeepsItsBracesAndBackslashesAndOtherBracesAreLeftAlone() {
    String value = "a}b\\c{d";
    assertThat(ParameterSpelling.NAMES.render(Parameter.PACKAGE.withValue(value)))
        .isEqualTo("package=" + value);
    String text = "{{PACKAGE}} {nosuch} {json: 1} {@nosuch} {python";
    assertThat(GRADLE.render(text)).isEqualTo(text);
    assertThat(Parameter.referencedIn(text)).isEmpty();
    assertThat(GRADLE.render(null)).isNull();
  }

  @Test
  void theRequestsDefaultsAreTheParametersDefaults() throws Exception {
    BundleRequest request = BundleRequest.builder().workingDirectory(temp)
        .packageSpec("demo==1.0").build();
    assertThat(request.python()).isEqualTo(defaultOf(Parameter.PYTHON));
    assertThat(request.base().toString()).isEqualTo(defaultOf(Parameter.FROM));
    assertThat(request.outputDirectory())
        .isEqualTo(temp.resolve(defaultOf(Parameter.OUTPUT_DIRECTORY)));
    assertThat(request.cacheDirectory()).isEqualTo(Path.of(System.getProperty("user.home"))
        .resolve(defaultOf(Parameter.CACHE_DIRECTORY).substring(2)));
    assertThat(request.appUser()).isEqualTo(defaultOf(Parameter.APP_USER));
    assertThat(request.architecture()).isEqualTo(defaultOf(Parameter.ARCHITECTURE));
    assertThat(request.namespace()).isEqualTo(defaultOf(Parameter.NAMESPACE));
    assertThat(request.image()).isEqualTo(defaultOf(Parameter.NAMESPACE) + "/demo:1.0");
    assertThat(request.creationTime()).isEqualTo(Instant.parse(defaultOf(Parameter.CREATION_TIME)));
    assertThat(request.allowInsecureRegistries())
        .isEqualTo(flag(Parameter.ALLOW_INSECURE_REGISTRIES));
    DebianSettings debian = request.debian();
    assertThat(debian.components()).containsExactly(defaultOf(Parameter.DEBIAN_COMPONENTS));
    assertThat(debian.updatePolicy())
        .isEqualTo(UpdatePolicy.parse(defaultOf(Parameter.DEBIAN_UPDATE_POLICY)));
    assertThat(debian.allowUnsigned()).isEqualTo(flag(Parameter.ALLOW_UNSIGNED));
    assertThat(debian.essential()).isEqualTo(flag(Parameter.ESSENTIAL));
    assertThat(debian.keepDocumentation()).isEqualTo(flag(Parameter.KEEP_DOCUMENTATION));
    assertThat(debian.offline()).isEqualTo(flag(Parameter.OFFLINE));
    assertThat(debian.forceUpdate()).isEqualTo(flag(Parameter.FORCE_UPDATE));
    assertThat(AptConfig.DEBIAN_KEYRING.toString()).isEqualTo(defaultOf(Parameter.DEBIAN_KEYRING));
  }

  @Test
  void onlyWhatHasAPlainDefaultHasOne() {
    EnumSet<Parameter> derived = EnumSet.of(Parameter.IMAGE, Parameter.DEBIAN_SUITE,
        Parameter.DEBIAN_MIRROR, Parameter.CONTAINER_RUNTIME);
    for (Parameter parameter : derived) {
      assertThat(parameter.defaultValue()).as(parameter + " follows from others").isEmpty();
    }
  }

  private static String defaultOf(Parameter parameter) {
    return parameter.defaultValue().orElseThrow();
  }

  private static boolean flag(Parameter parameter) {
    return Boolean.parseBoolean(defaultOf(parameter));
  }
}
