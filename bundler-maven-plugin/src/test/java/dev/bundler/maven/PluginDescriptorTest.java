package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.Parameter;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The plugin's descriptor ({@code META-INF/maven/plugin.xml}, generated from the Mojos'
 * annotations) agrees with the core's one definition of the parameters ({@link Parameter}): every
 * parameter is there under its name and property, no goal has one the core does not define, and
 * the literal defaults Maven needs for its documentation are the core's.
 */
class PluginDescriptorTest {
  /** Parameters Maven does not take from the pom: its own switches. */
  private static final Set<Parameter> MAVENS_OWN =
      EnumSet.of(Parameter.OFFLINE, Parameter.FORCE_UPDATE);

  /** One parameter of one goal, as the descriptor describes it. */
  record Described(String goal, String name, String alias, String type, boolean editable,
      String description, String expression, String defaultValue) {
    String id() {
      return alias != null ? alias : name;
    }
  }

  private static List<Described> parameters;

  @BeforeAll
  static void read() throws Exception {
    parameters = new ArrayList<>();
    try (InputStream in = PluginDescriptorTest.class.getResourceAsStream(
        "/META-INF/maven/plugin.xml")) {
      assertThat(in).as("the generated plugin descriptor").isNotNull();
      Element plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
          .getDocumentElement();
      for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
        String goal = text(mojo, "goal");
        Element configuration = child(mojo, "configuration");
        for (Element parameter : children(child(mojo, "parameters"), "parameter")) {
          String name = text(parameter, "name");
          Element configured = configuration == null ? null : child(configuration, name);
          parameters.add(new Described(goal, name, text(parameter, "alias"),
              text(parameter, "type"), "true".equals(text(parameter, "editable")),
              text(parameter, "description"),
              configured == null || configured.getTextContent().isBlank() ? null
                  : configured.getTextContent().strip(),
              configured == null || !configured.hasAttribute("default-value") ? null
                  : configured.getAttribute("default-value")));
        }
      }
    }
    assertThat(parameters).isNotEmpty();
  }

  @Test
  void everyParameterIsAGoalsUnderItsNameAndProperty() {
    for (Parameter parameter : Parameter.values()) {
      if (MAVENS_OWN.contains(parameter)) {
        continue;
      }
      List<Described> found = parameters.stream().filter(p -> p.id().equals(parameter.id()))
          .toList();
      assertThat(found).as(parameter.id() + " in some goal").isNotEmpty();
      for (Described described : found) {
        if (described.type().equals("java.util.Map")) {
          assertThat(described.expression()).as(described + ": a map's property is read by the "
              + "Mojo itself (PropertyMaps)").isNull();
        } else {
          assertThat(described.expression()).as(described.goal() + " " + described.id())
              .isEqualTo("${" + parameter.property() + "}");
        }
      }
    }
  }

  @Test
  void noGoalHasAParameterTheCoreDoesNotDefine() {
    for (Described described : parameters) {
      if (described.editable()) {
        assertThat(Parameter.byId(described.id())).as(described.goal() + " " + described.id())
            .isPresent();
      }
    }
  }

  /**
   * A literal default in the annotations is the core's; a project expression stands for it
   * ({@code ${project.build.directory}} for {@code target}, {@code ${user.home}} for {@code ~},
   * {@code ${project.basedir}} for the project directory); a default Maven cannot write (the
   * Python follows the suite, the keyring the machine's) or takes from the project ({@code
   * ${project.build.outputTimestamp}}) is the core's as its documentation states it.
   */
  @Test
  void theDefaultsMavenDocumentsAreTheCores() {
    for (Described described : parameters) {
      Optional<Parameter> parameter = Parameter.byId(described.id());
      if (!described.editable() || parameter.isEmpty()) {
        continue;
      }
      Optional<String> core = parameter.get().defaultValue();
      String what = described.goal() + " " + described.id();
      if (described.defaultValue() == null) {
        core.ifPresent(value -> assertThat(described.description()).as(what + "'s description")
            .contains(value));
        continue;
      }
      String maven = described.defaultValue().replace("${project.build.directory}/", "target/")
          .replace("${user.home}/", "~/").replace("${project.basedir}/", "");
      assertThat(core).as(what + " has a default in Maven: the core's").isPresent();
      if (maven.contains("${")) {
        assertThat(described.description()).as(what + " (" + maven + "), else the core's")
            .contains(core.get());
      } else {
        assertThat(maven).as(what).isEqualTo(core.get());
      }
    }
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent();
  }
}
