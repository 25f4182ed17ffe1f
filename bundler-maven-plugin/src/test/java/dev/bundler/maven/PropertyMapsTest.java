package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code <environment>} and {@code <labels>} from a pom, with a {@code -D} property's entries. */
class PropertyMapsTest {

  @Test
  void thePropertysEntriesAreAddedAndWin() throws Exception {
    Map<String, String> pom = new LinkedHashMap<>();
    pom.put("GREETING_STYLE", "quiet");
    pom.put("EMPTY", null);
    assertThat(PropertyMaps.merge(pom, Parameter.ENVIRONMENT, "GREETING_STYLE=loud,URL=a=b,,"))
        .containsExactly(Map.entry("GREETING_STYLE", "loud"), Map.entry("EMPTY", ""),
            Map.entry("URL", "a=b"));
    assertThat(PropertyMaps.merge(null, Parameter.LABELS, null)).isEmpty();
  }

  @Test
  void anEntryThatIsNotKeyEqualsValueNamesTheProperty() {
    assertThatThrownBy(() -> PropertyMaps.merge(Map.of(), Parameter.LABELS, "team"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.LABELS))
        .hasMessageContaining("'team' in -Dbundler.labels is not KEY=VALUE");
  }
}
