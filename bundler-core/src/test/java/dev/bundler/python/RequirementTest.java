package dev.bundler.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementTest {
  private static final MarkerEnvironment LINUX_311 =
      MarkerEnvironment.linux(PythonTarget.bookworm("3.11", "amd64"));

  @Test
  void parsesRequiresDistForms() {
    Requirement asgiref = Requirement.parse("asgiref (<4,>=3.3.2)");
    assertThat(asgiref.normalizedName()).isEqualTo("asgiref");
    assertThat(asgiref.specifier().contains(Pep440Version.parse("3.6.0"))).isTrue();
    assertThat(asgiref.specifier().contains(Pep440Version.parse("4.0"))).isFalse();
    assertThat(asgiref.marker().evaluate(LINUX_311, Set.of())).isTrue();

    Requirement argon = Requirement.parse("argon2-cffi (>=19.1.0) ; extra == 'argon2'");
    assertThat(argon.marker().evaluate(LINUX_311, Set.of())).isFalse();
    assertThat(argon.marker().evaluate(LINUX_311, Set.of("argon2"))).isTrue();

    Requirement full = Requirement.parse("Foo.Bar[Baz, qux]>=1,!=1.5;python_version<'3.8' or sys_platform=='linux'");
    assertThat(full.normalizedName()).isEqualTo("foo-bar");
    assertThat(full.extras()).containsExactly("baz", "qux");
    assertThat(full.marker().evaluate(LINUX_311, Set.of())).isTrue();

    Requirement url = Requirement.parse("pkg @ https://example.invalid/pkg-1.0.whl ; os_name == 'nt'");
    assertThat(url.url()).isEqualTo("https://example.invalid/pkg-1.0.whl");
    assertThat(url.marker().evaluate(LINUX_311, Set.of())).isFalse();
    assertThat(Requirement.parse("pytz").specifier().isEmpty()).isTrue();
  }

  @Test
  void rejectsMalformedRequirements() {
    assertThatThrownBy(() -> Requirement.parse("-bad")).hasMessageContaining("'-bad' is not a valid requirement");
    assertThatThrownBy(() -> Requirement.parse("a (>=1")).hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> Requirement.parse("a ; python_version <")).hasMessageContaining("invalid marker");
    assertThatThrownBy(() -> Requirement.parse("a ; unknown_var == '1'")).hasMessageContaining("unknown variable");
    assertThatThrownBy(() -> Requirement.parse("a >= 1 junk")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wheelFilenamesAndCompatibility() {
    PythonTarget py311 = PythonTarget.bookworm("3.11", "amd64");
    WheelFilename pure = WheelFilename.parse("Django-3.2.25-py3-none-any.whl");
    assertThat(pure.normalizedName()).isEqualTo("django");
    assertThat(pure.isCompatible(py311)).isTrue();

    WheelFilename compressed = WheelFilename.parse("six-1.16.0-1-py2.py3-none-any.whl");
    assertThat(compressed.build()).isEqualTo("1");
    assertThat(compressed.tags()).hasSize(2);

    WheelFilename native311 = WheelFilename.parse("MarkupSafe-2.1.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    assertThat(native311.isCompatible(py311)).isTrue();
    assertThat(native311.isCompatible(PythonTarget.bookworm("3.11", "arm64"))).isFalse();
    assertThat(native311.rank(py311)).isLessThan(pure.rank(py311));
    assertThat(WheelFilename.parse("x-1-cp312-cp312-linux_x86_64.whl").isCompatible(py311)).isFalse();
    assertThat(WheelFilename.parse("x-1-cp39-abi3-manylinux_2_28_x86_64.whl").isCompatible(py311)).isTrue();
    assertThat(WheelFilename.parse("x-1-cp311-cp311-manylinux_2_39_x86_64.whl").isCompatible(py311)).isFalse();

    assertThatThrownBy(() -> WheelFilename.parse("x-1.0.tar.gz")).hasMessageContaining(".whl");
    assertThatThrownBy(() -> WheelFilename.parse("x-notaversion-py3-none-any.whl")).hasMessageContaining("invalid version");
    assertThatThrownBy(() -> WheelFilename.parse("x-py3-none-any.whl")).hasMessageContaining("NAME-VERSION");
    assertThatThrownBy(() -> PythonTarget.bookworm("python3", "amd64")).hasMessageContaining("MAJOR.MINOR");
  }
}
