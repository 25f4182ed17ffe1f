package dev.bundler.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where bundler's PEP 440 and PEP 508 code follows the standards rather than the {@code packaging}
 * that pip 23.0 vendors: decided without Python. The comparisons with {@code packaging} itself are
 * in {@link PackagingDifferentialIT}.
 */
class PackagingDifferentialTest {

  /** Prefix matches take release segments only, as packaging 22 and later enforce (21.3 did not). */
  @Test
  void prefixMatchesOfPrereleasesAreRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> VersionSpecifier.parse("==1.0a1.*"))
        .hasMessageContaining("release segments only");
  }

  /**
   * PEP 685: extras compare normalized. pip 23.0's packaging (21.3) predates it and compares them
   * as written; bundler follows the standard, as newer pip does.
   */
  @Test
  void extrasCompareNormalizedAsPep685Says() {
    MarkerEnvironment environment = MarkerEnvironment.linux(PythonTarget.bookworm("3.11", "amd64"));
    assertThat(Marker.parse("extra == 'Foo_Bar'").evaluate(environment, Set.of("foo-bar"))).isTrue();
    assertThat(Marker.parse("extra == 'foo.bar'").evaluate(environment, Set.of("Foo_Bar"))).isTrue();
    assertThat(Marker.parse("extra == 'foo'").evaluate(environment, Set.of())).isFalse();
  }
}
