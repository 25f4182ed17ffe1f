package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A version's parts and the errors for malformed ones; the ordering against {@code dpkg
 * --compare-versions} is in {@link DebianVersionIT}.
 */
class DebianVersionTest {

  @Test
  void partsAndErrors() {
    DebianVersion version = DebianVersion.parse("1:2.38.1-5+deb12u3");
    assertThat(version.epoch()).isEqualTo(1);
    assertThat(version.upstream()).isEqualTo("2.38.1");
    assertThat(version.revision()).isEqualTo("5+deb12u3");
    assertThat(DebianVersion.parse("1.0")).isEqualTo(DebianVersion.parse("1.0-0"))
        .hasSameHashCodeAs(DebianVersion.parse("1.0-0"));
    assertThat(DebianVersion.parse("1.01")).hasSameHashCodeAs(DebianVersion.parse("1.1"));
    assertThatThrownBy(() -> DebianVersion.parse("a1.0")).hasMessageContaining("not a Debian version");
    assertThatThrownBy(() -> DebianVersion.parse("x:1")).hasMessageContaining("invalid epoch");
    assertThatThrownBy(() -> DebianVersion.parse("1.0 2")).hasMessageContaining("not a Debian version");
    assertThatThrownBy(() -> DebianVersion.parse("1.0_2")).hasMessageContaining("not a Debian version");
    assertThatThrownBy(() -> DebianVersion.parse("1:1.0-r:1")).hasMessageContaining("not a Debian version");
    assertThatThrownBy(() -> DebianVersion.parse("1.0-r\u00e9")).hasMessageContaining("not a Debian version");
    assertThat(DebianVersion.parse("2:1.0~rc1+dfsg-1:2-3").revision()).isEqualTo("3");
  }
}
