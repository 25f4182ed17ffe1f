package dev.bundler.maven;

import dev.bundler.image.RegistryCredentials;
import java.util.HashMap;
import java.util.Map;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Registry logins from Maven's settings.xml, as jib's Maven plugin reads them: a {@code <server>}
 * with a {@code <username>}, its {@code <id>} the registry host ({@code HOST:PORT}); encrypted
 * passwords are decrypted. Registries without one get the Docker configuration's credentials.
 */
final class MavenLogins {
  private MavenLogins() {}

  static Map<String, RegistryCredentials> of(Settings settings, SettingsDecrypter decrypter,
      Log log) {
    Map<String, RegistryCredentials> logins = new HashMap<>();
    if (settings == null) {
      return logins;
    }
    for (Server server : settings.getServers()) {
      if (server.getId() == null || server.getUsername() == null) {
        continue;
      }
      Server login = server;
      if (decrypter != null) {
        SettingsDecryptionResult result =
            decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        result.getProblems().forEach(problem -> log.warn("The password of the <server> "
            + server.getId() + " in settings.xml cannot be decrypted: " + problem.getMessage()));
        if (result.getServer() != null) {
          login = result.getServer();
        }
      }
      logins.put(server.getId(), new RegistryCredentials(login.getUsername(),
          login.getPassword() == null ? "" : login.getPassword()));
    }
    return logins;
  }
}
