package dev.bundler;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How bundler names an application's image: {@code NAMESPACE/PACKAGE:VERSION} unless an image
 * reference is given. One rule for every goal, for the image a build tags and for the repository
 * whose tags are listed.
 */
public final class ImageNames {
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern NAMESPACE = Pattern.compile(
      "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

  private ImageNames() {}

  /**
   * The namespace of the default image name, checked: lower-case path components, possibly
   * after a registry ({@code HOST:PORT/team}); {@link Parameter#NAMESPACE}'s default for {@code
   * null}.
   */
  public static String namespace(String value) throws InvalidInputException {
    if (value == null) {
      return Parameter.NAMESPACE.defaultValue().orElseThrow();
    }
    if (!NAMESPACE.matcher(value.strip()).matches()) {
      throw new InvalidInputException(Parameter.NAMESPACE, "'" + value + "' is not an image "
          + "namespace: set " + Parameter.NAMESPACE + " to lower-case path components such as "
          + "bluesolutions or HOST:PORT/team");
    }
    return value.strip();
  }

  /** {@code NAMESPACE/PACKAGE}: the repository of the application's default image name. */
  public static String repository(String namespace, PackageSpec application) {
    return namespace + "/" + application.normalizedName();
  }

  /**
   * {@code NAMESPACE/PACKAGE:VERSION}, the version as a tag ({@code +} and {@code !} become
   * {@code _}); {@code latest} while the version is not known yet.
   */
  public static String defaultImage(String namespace, PackageSpec application) {
    String tag = application.pinned()
        ? application.version().replace('+', '_').replace('!', '_') : "latest";
    return repository(namespace, application) + ":" + tag;
  }

  /**
   * The repository whose tags {@code image} names, else the repository of the application's
   * default image name.
   *
   * @param image the image reference given, or {@code null}
   * @param namespace the namespace given, or {@code null} for the default
   * @param packageSpec the application as {@link PackageSpec#parse} reads it, or {@code null}
   * @throws InvalidInputException naming {@link Parameter#IMAGE} when neither is given
   */
  public static String repositoryOf(String image, String namespace, String packageSpec,
      String version, Path workingDirectory) throws InvalidInputException {
    if (image != null && !image.isBlank()) {
      return image.strip();
    }
    if (packageSpec == null || packageSpec.isBlank()) {
      throw new InvalidInputException(Parameter.IMAGE, "Which repository? Set "
          + Parameter.IMAGE.withValue("HOST:PORT/team/app") + ", or "
          + Parameter.PACKAGE.withValue("NAME") + " (with " + Parameter.NAMESPACE.named() + ")");
    }
    return repository(namespace(namespace), PackageSpec.parse(packageSpec, version,
        workingDirectory));
  }

  /** The additional tags, checked. */
  static List<String> tags(List<String> tags) throws InvalidInputException {
    for (String tag : tags) {
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidInputException(Parameter.ADDITIONAL_TAGS, "'" + tag + "' is not an "
            + "image tag: tags are up to 128 letters, digits, '_', '.' and '-', not starting with "
            + "'.' or '-': fix " + Parameter.ADDITIONAL_TAGS);
      }
    }
    return List.copyOf(tags);
  }
}
