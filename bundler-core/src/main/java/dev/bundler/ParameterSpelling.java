package dev.bundler;

/**
 * How a front end writes bundler's parameters in what it shows its users: the Maven plugin as
 * {@code -Dbundler.python}, a Gradle plugin or a command line in their own syntax.
 *
 * <p>The core's messages (of its exceptions and of its log events) refer to parameters ({@link
 * Parameter#toString()}, {@link Parameter#withValue}, {@link Parameter#named()}) rather than
 * spelling them; {@link #render} writes each reference in this spelling.
 */
public interface ParameterSpelling {
  /**
   * The parameters' own names, {@code python} and {@code python=3.9}: for callers that have no
   * syntax of their own.
   */
  ParameterSpelling NAMES = new ParameterSpelling() {
    @Override
    public String toSet(Parameter parameter) {
      return parameter.id();
    }

    @Override
    public String withValue(Parameter parameter, String value) {
      return parameter.id() + "=" + value;
    }

    @Override
    public String named(Parameter parameter) {
      return parameter.id();
    }
  };

  /** The parameter where a message asks the user to set, fix or check it. */
  String toSet(Parameter parameter);

  /** The parameter given {@code value}, as the user would write it. */
  String withValue(Parameter parameter, String value);

  /** The parameter named in passing, as where a value came from. */
  String named(Parameter parameter);

  /** {@code message} with every reference to a parameter written in this spelling. */
  default String render(String message) {
    return References.render(message, this);
  }
}
