package dev.bundler.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The registry logins a build was given (from Maven's settings.xml, by registry host), how they
 * reach jib-core, and the one error message for a registry that refuses them. Registries without
 * a configured login get the Docker configuration's credentials.
 */
final class RegistryLogins {
  private final Map<String, RegistryCredentials> credentials;

  RegistryLogins(Map<String, RegistryCredentials> credentials) {
    this.credentials = Map.copyOf(credentials);
  }

  /** The configured login for {@code registry} (Docker Hub under any of its names), or null. */
  RegistryCredentials forRegistry(String registry) {
    RegistryCredentials login = credentials.get(registry);
    if (login == null && registry.equals("registry-1.docker.io")) {
      login = credentials.containsKey("docker.io") ? credentials.get("docker.io")
          : credentials.get("index.docker.io");
    }
    return login;
  }

  /** {@code reference} as a jib-core registry image, with its login or Docker's. */
  RegistryImage image(ImageReference reference, Consumer<LogEvent> log) {
    RegistryImage image = RegistryImage.named(reference);
    RegistryCredentials login = forRegistry(reference.getRegistry());
    if (login != null) {
      return image.addCredential(login.username(), login.password());
    }
    CredentialRetrieverFactory docker = CredentialRetrieverFactory.forImage(reference, log);
    return image.addCredentialRetriever(docker.dockerConfig())
        .addCredentialRetriever(docker.wellKnownCredentialHelpers());
  }

  /**
   * The credential for {@code reference}'s registry: its configured login, else the Docker
   * configuration's (config file, then the well-known credential helpers), else {@code null}.
   */
  com.google.cloud.tools.jib.api.Credential credential(ImageReference reference,
      Consumer<LogEvent> log) {
    RegistryCredentials login = forRegistry(reference.getRegistry());
    if (login != null) {
      return com.google.cloud.tools.jib.api.Credential.from(login.username(), login.password());
    }
    CredentialRetrieverFactory docker = CredentialRetrieverFactory.forImage(reference, log);
    for (var retriever : java.util.List.of(docker.dockerConfig(), docker.wellKnownCredentialHelpers())) {
      try {
        var found = retriever.retrieve();
        if (found.isPresent()) {
          return found.get();
        }
      } catch (com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException e) {
        log.accept(LogEvent.warn("Cannot read Docker's credentials for " + reference.getRegistry()
            + ": " + e.getMessage()));
      }
    }
    return null;
  }

  /**
   * The error for a registry that refused access to {@code reference} ({@code what}: "access
   * to", "to list the tags of"), naming the {@code <server>} to add or fix.
   */
  InvalidInputException refused(String reference, String what, Parameter parameter,
      Exception cause) {
    String registry = registryOf(reference);
    return new InvalidInputException(parameter, "The registry " + registry + " refused " + what
        + " " + reference + (forRegistry(registry) != null
            ? " with the credentials of the <server> with id " + registry + " in Maven's "
                + "settings.xml: check its username, password and rights on the repository"
            : ": it needs credentials. Add a <server> with <id>" + registry + "</id>, "
                + "<username> and <password> to Maven's settings.xml (or log in with "
                + "docker login)"), cause);
  }

  private static String registryOf(String reference) {
    try {
      return ImageReference.parse(reference).getRegistry();
    } catch (InvalidImageReferenceException e) {
      return reference;
    }
  }
}
