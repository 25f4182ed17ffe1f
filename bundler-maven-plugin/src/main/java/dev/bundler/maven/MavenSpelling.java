package dev.bundler.maven;

import dev.bundler.Parameter;
import dev.bundler.ParameterSpelling;
import java.util.function.Predicate;

/**
 * bundler's parameters as Maven users write them, for the core's messages (as jib's {@code
 * HelpfulSuggestions} words its fixes): {@code -Dbundler.python (<python> in the pom)} where a
 * message asks to set one, only {@code -Dbundler.python} when the command line gave it, {@code
 * -Dbundler.python=3.9} with a value, the property {@code bundler.python} named in passing; and
 * Maven's own switches {@code -o} and {@code -U} for {@link Parameter#OFFLINE} and {@link
 * Parameter#FORCE_UPDATE}.
 */
final class MavenSpelling implements ParameterSpelling {
  private final Predicate<String> onCommandLine;

  /** @param onCommandLine whether a property was given on the command line ({@code -D}) */
  MavenSpelling(Predicate<String> onCommandLine) {
    this.onCommandLine = onCommandLine;
  }

  @Override
  public String toSet(Parameter parameter) {
    String option = "-D" + parameter.property();
    return switchOf(parameter) != null ? switchOf(parameter)
        : onCommandLine.test(parameter.property()) ? option
        : option + " (<" + parameter.id() + "> in the pom)";
  }

  @Override
  public String withValue(Parameter parameter, String value) {
    return switchOf(parameter) != null ? switchOf(parameter)
        : "-D" + parameter.property() + "=" + value;
  }

  /**
   * The property; {@code -Dpackage} and {@code -Dversion} keep their {@code -D}, as a bare
   * {@code package} would not read as a parameter.
   */
  @Override
  public String named(Parameter parameter) {
    return switchOf(parameter) != null ? switchOf(parameter)
        : parameter.property().contains(".") ? parameter.property()
        : "-D" + parameter.property();
  }

  private static String switchOf(Parameter parameter) {
    return switch (parameter) {
      case OFFLINE -> "-o";
      case FORCE_UPDATE -> "-U";
      default -> null;
    };
  }
}
