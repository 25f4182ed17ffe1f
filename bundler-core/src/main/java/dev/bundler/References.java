package dev.bundler;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The references to parameters that the core's messages hold, and their rendering: {@code
 * {python}} (to set), {@code {python=3.9}} (with a value: {@code \} and {@code \\} escaped),
 * {@code {@python}} (named in passing). Text that is not a reference to a known parameter is
 * left as it is.
 */
final class References {
  private static final Pattern REFERENCE =
      Pattern.compile("\\{(?:@([A-Za-z]+)|([A-Za-z]+)(?:=((?:[^\\\\}]|\\\\.)*))?)}");
  private static final Map<String, Parameter> BY_ID = new HashMap<>();

  static {
    for (Parameter parameter : Parameter.values()) {
      BY_ID.put(parameter.id(), parameter);
    }
  }

  private References() {}

  static Parameter byId(String id) {
    return BY_ID.get(id);
  }

  static String toSet(Parameter parameter) {
    return "{" + parameter.id() + "}";
  }

  static String withValue(Parameter parameter, String value) {
    return "{" + parameter.id() + "=" + value.replace("\\", "\\\\").replace("}", "\\}") + "}";
  }

  static String named(Parameter parameter) {
    return "{@" + parameter.id() + "}";
  }

  static String render(String message, ParameterSpelling spelling) {
    if (message == null || message.indexOf('{') < 0) {
      return message;
    }
    Matcher matcher = REFERENCE.matcher(message);
    StringBuilder rendered = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(rendered, Matcher.quoteReplacement(spell(matcher, spelling)));
    }
    return matcher.appendTail(rendered).toString();
  }

  static Set<Parameter> in(String message) {
    Set<Parameter> found = EnumSet.noneOf(Parameter.class);
    if (message != null) {
      Matcher matcher = REFERENCE.matcher(message);
      while (matcher.find()) {
        String id = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        Parameter parameter = BY_ID.get(id);
        if (parameter != null) {
          found.add(parameter);
        }
      }
    }
    return found;
  }

  private static String spell(Matcher reference, ParameterSpelling spelling) {
    if (reference.group(1) != null) {
      Parameter parameter = BY_ID.get(reference.group(1));
      return parameter == null ? reference.group() : spelling.named(parameter);
    }
    Parameter parameter = BY_ID.get(reference.group(2));
    if (parameter == null) {
      return reference.group();
    }
    String value = reference.group(3);
    return value == null ? spelling.toSet(parameter)
        : spelling.withValue(parameter, value.replaceAll("\\\\(.)", "$1"));
  }
}
