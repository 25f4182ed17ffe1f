package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's table of parameters ("Parameters of {@code bundler:build}") agrees with the core's
 * one definition ({@link Parameter}): one row per parameter, under its name and property, with
 * its default; and the README names no property that does not exist.
 */
class ReadmeParametersTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern ROW =
      Pattern.compile("^\\| `(\\w+)` \\(`([\\w.]+)`\\) \\|\\s*([^|]*?)\\s*\\|", Pattern.MULTILINE);
  private static final Pattern PROPERTY =
      Pattern.compile("(?<![\\w.])bundler\\.(?:debian\\.)?[a-z][a-zA-Z]*");

  private static String table() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("### Parameters of `bundler:build`");
    assertThat(start).as("the README's parameter table").isNotNegative();
    int end = readme.indexOf("\n\n", readme.indexOf("|---|", start));
    return readme.substring(start, end);
  }

  @Test
  void everyParameterHasItsRowWithItsPropertyAndDefault() throws Exception {
    Map<String, String[]> rows = new LinkedHashMap<>();
    Matcher row = ROW.matcher(table());
    while (row.find()) {
      rows.put(row.group(1), new String[] {row.group(2), row.group(3)});
    }
    Set<String> documented = new TreeSet<>();
    for (Parameter parameter : Parameter.values()) {
      if (parameter.property() == null) {
        continue; // Maven's own -o and -U
      }
      documented.add(parameter.id());
      assertThat(rows).as("a row for " + parameter.id()).containsKey(parameter.id());
      String[] cells = rows.get(parameter.id());
      assertThat(cells[0]).as(parameter.id() + "'s property").isEqualTo(parameter.property());
      parameter.defaultValue().ifPresent(value -> assertThat(cells[1])
          .as(parameter.id() + "'s default").contains("`" + value + "`"));
    }
    assertThat(rows.keySet()).as("rows for parameters the core does not define")
        .containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void theReadmeNamesOnlyPropertiesThatExist() throws Exception {
    Set<String> known = java.util.Arrays.stream(Parameter.values()).map(Parameter::property)
        .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    known.addAll(List.of("bundler.lock", "bundler.debian")); // bundler.lock.json, bundler.debian.*
    Set<String> unknown = new TreeSet<>();
    Matcher property = PROPERTY.matcher(Files.readString(README));
    while (property.find()) {
      if (!known.contains(property.group())) {
        unknown.add(property.group());
      }
    }
    assertThat(unknown).as("properties the README names that no parameter has").isEmpty();
  }
}
