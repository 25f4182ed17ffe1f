package dev.bundler.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.testkit.LocalRegistry;
import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push goal against a real private registry (docker-registry with a login, over TLS): the
 * image it pushes is the tarball's, digest for digest, and a missing or wrong login fails the
 * build naming the {@code <server>} to fix.
 */
@MojoTest
class PushMojoIT {
  private static final String POM = "src/test/resources/unit/build/pom.xml";

  @TempDir Path temp;

  private static Settings login(String host, String password) {
    Server server = new Server();
    server.setId(host);
    server.setUsername("pusher");
    server.setPassword(password);
    Settings settings = new Settings();
    settings.addServer(server);
    return settings;
  }

  @Test
  @InjectMojo(goal = "push", pom = POM)
  void pushesTheTarballsImageWithItsLogin(PushMojo mojo) throws Exception {
    BuildMojoTest.configure(mojo, temp);
    try (LocalRegistry registry =
        LocalRegistry.startWithLogin(temp.resolve("registry"), "pusher", "Pu5h-Secret")) {
      String host = registry.address();
      mojo.image = host + "/team/demo:1.0";
      mojo.allowInsecureRegistries = true;

      mojo.settings = new Settings();
      assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
          .hasMessageContaining("needs credentials")
          .hasMessageContaining("<id>" + host + "</id>");
      mojo.settings = login(host, "Wr0ng-Secret");
      assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
          .hasMessageContaining("<server> with id " + host)
          .hasMessageNotContaining("Wr0ng-Secret");

      mojo.settings = login(host, "Pu5h-Secret");
      mojo.execute();
      String tarballDigest = Files.readString(temp.resolve("out/image.digest")).strip();
      Tools.require("skopeo", "skopeo");
      String inspected = Tools.check(List.of("skopeo", "inspect", "--tls-verify=false",
          "--creds=pusher:Pu5h-Secret", "--format", "{{.Digest}}", "docker://" + mojo.image));
      assertThat(inspected.strip()).isEqualTo(tarballDigest);

      mojo.additionalTags = List.of("latest,stable");
      mojo.execute();
      assertThat(Files.readString(temp.resolve("out/image.digest")).strip())
          .as("a second push of the same inputs").isEqualTo(tarballDigest);
      for (String tag : List.of("latest", "stable")) {
        assertThat(Tools.check(List.of("skopeo", "inspect", "--tls-verify=false",
            "--creds=pusher:Pu5h-Secret", "--format", "{{.Digest}}",
            "docker://" + host + "/team/demo:" + tag)).strip()).isEqualTo(tarballDigest);
      }
      mojo.additionalTags = List.of("bad tag!");
      assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
          .hasMessageContaining("bundler.additionalTags");
    }
  }
}
