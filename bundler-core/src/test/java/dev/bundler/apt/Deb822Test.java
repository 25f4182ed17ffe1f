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

  /** The paragraphs the byte reader gives, as the fields of each, or the failure's message. */
  private static Object bytesRead(String text, Set<String> keep) {
    List<Map<String, String>> out = new ArrayList<>();
    try {
      Deb822.forEach(new java.io.ByteArrayInputStream(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), keep, p -> out.add(p.fields()));
    } catch (IOException e) {
      return e.getMessage();
    }
    return out;
  }

  private static Object charsRead(String text, Set<String> keep) {
    List<Map<String, String>> out = new ArrayList<>();
    try {
      Deb822.forEach(new StringReader(text), keep, p -> out.add(p.fields()));
    } catch (IOException e) {
      return e.getMessage();
    }
    return out;
  }

  @Test
  void theByteReaderOfAnIndexReadsWhatTheCharacterReaderReads() {
    Set<String> keep = Set.of("package", "version", "depends", "description", "maintainer");
    List<String> texts = List.of(INDEX,
        INDEX.replace("\n", "\r\n"),
        INDEX + "\n\n\n",
        "Package: a\nVersion:\t 1 \t\nDepends:\n a,\n\tb\n  c\n",
        "# a comment\nPackage: b\n# inside\nVersion: 2\n \t \nPackage: c\n",
        "package: lower\nVERSION: upper\nMaintainer: J\u00f6rg \u00c9 <x@example.org>\n",
        "Package: unkept continuation\nTag: x,\n y\nVersion: 3\n",
        "Package: a\n\n continued from nothing\n",
        "Package: a\nno colon here\n",
        ":empty name\n",
        "Package: last line without newline",
        "",
        "Package: " + "x".repeat(200_000) + "\nVersion: 1\n");
    for (String text : texts) {
      assertThat(bytesRead(text, keep)).as(text.length() > 300 ? "a long line" : text)
          .isEqualTo(charsRead(text, keep));
    }
  }
}
