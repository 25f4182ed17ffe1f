package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Control-file paragraphs, whole and with only the fields a reader keeps. */
class Deb822Test {
  private static final String INDEX = """
      Package: libfoo1
      Version: 1.2-3
      Description: a library
       with a long description
       .
       of several lines
      Depends: libc6 (>= 2.36),
       libbar2
      Tag: role::shared-lib

      Package: foo-utils
      Maintainer: Someone <someone@example.org>
      Version: 2:0.9
      """;

  @Test
  void paragraphsKeepFieldsAsWrittenWithContinuationLines() {
    List<Deb822> all = Deb822.parseAll(INDEX);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("description"))
        .isEqualTo("a library\nwith a long description\n.\nof several lines");
    assertThat(all.get(0).get("DEPENDS")).isEqualTo("libc6 (>= 2.36),\nlibbar2");
    assertThat(all.get(1).fields().keySet()).containsExactly("Package", "Maintainer", "Version");
  }

  @Test
  void onlyTheFieldsKeptAreHeldAndTheirContinuationsStayWithThem() throws IOException {
    List<Deb822> kept = new ArrayList<>();
    Deb822.forEach(new StringReader(INDEX), Set.of("package", "version", "depends"), kept::add);
    assertThat(kept).extracting(Deb822::fields).containsExactly(
        Map.of("Package", "libfoo1", "Version", "1.2-3", "Depends", "libc6 (>= 2.36),\nlibbar2"),
        Map.of("Package", "foo-utils", "Version", "2:0.9"));
  }

  @Test
  void aContinuationLineOpeningAParagraphIsMalformedWhetherKeptOrNot() {
    String broken = "Package: a\n\n continued from nothing\n";
    assertThatThrownBy(() -> Deb822.forEach(new StringReader(broken), Set.of("package"), p -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed control line");
  }
}
