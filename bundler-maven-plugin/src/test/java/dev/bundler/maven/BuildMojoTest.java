package dev.bundler.maven;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.testkit.OciImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build goal, configured from a pom, through Maven's own injection of its parameters. */
@MojoTest
class BuildMojoTest {
  private static final String POM = "src/test/resources/unit/build/pom.xml";

  @TempDir Path temp;

  private void configure(BuildMojo mojo) throws Exception {
    configure(mojo, temp);
  }

  /** A mojo building demo==1.0 from a wheelhouse on scratch, with everything under {@code temp}. */
  static void configure(BundlerMojo mojo, Path temp) throws Exception {
    wheel("demo", "1.0").file("demo/__init__.py", "").writeTo(temp.resolve("wheels"));
    mojo.wheelhouse = temp.resolve("wheels").toString();
    mojo.outputDirectory = temp.resolve("out").toFile();
    mojo.cacheDirectory = temp.resolve("cache").toFile();
    mojo.basedir = temp.toFile();
    mojo.from = "scratch";
    mojo.appUser = "app";
    mojo.architecture = "amd64";
    mojo.debianSuite = "bookworm";
    mojo.debianComponents = "main";
    mojo.debianKeyring = new File("/usr/share/keyrings/debian-archive-keyring.gpg");
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void buildsTheImageThePomDescribes(BuildMojo mojo) throws Exception {
    assertThat(mojo.packageSpec).isEqualTo("demo==1.0");
    assertThat(mojo.python).isEqualTo("3.11");
    configure(mojo);
    mojo.execute();

    File tarball = temp.resolve("out/image.tar").toFile();
    assertThat(tarball).isFile();
    assertThat(OciImage.read(tarball.toPath()).config().at("/config/User").asText()).isEqualTo("1000:33");
    assertThat(temp.resolve("out/image.json")).content().contains("bundler/demo:1.0");
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void userMistakesAreBuildFailuresNamingTheParameter(BuildMojo mojo) throws Exception {
    configure(mojo);
    mojo.packageSpec = "absent";
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("-Dpackage=absent==VERSION");
    mojo.packageSpec = "demo==1.0";
    mojo.python = "three";
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("-Dbundler.python");
  }

  /**
   * A build failing before the core builds anything (here its cache directory is a file) still
   * removes the last build's image and a killed build's partial tarball: no CI step after it
   * ships a stale image.
   */
  @Test
  @InjectMojo(goal = "build", pom = POM)
  void aFailedBuildRemovesTheOutputsOfTheLastOne(BuildMojo mojo) throws Exception {
    configure(mojo);
    Path out = Files.createDirectories(temp.resolve("out"));
    Files.writeString(out.resolve("image.tar"), "the last build's image");
    Files.writeString(out.resolve("image.json"), "{}");
    Files.writeString(out.resolve(dev.bundler.io.AtomicFiles.PARTIAL_PREFIX + "1.tar"), "killed");
    mojo.cacheDirectory = Files.writeString(temp.resolve("cache-file"), "a file").toFile();
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("-Dbundler.cacheDir")
        .hasMessageContaining("cache-file is a file");
    assertThat(Files.exists(out)).as("the output directory, emptied and removed").isFalse();
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void skipDoesNothing(BuildMojo mojo) throws Exception {
    configure(mojo);
    mojo.skip = true;
    mojo.execute();
    assertThat(Files.exists(temp.resolve("out"))).isFalse();
  }

  @Test
  @InjectMojo(goal = "build", pom = POM)
  void registryLoginsComeFromSettingsServersByRegistryHost(BuildMojo mojo) throws Exception {
    configure(mojo);
    org.apache.maven.settings.Settings settings = new org.apache.maven.settings.Settings();
    org.apache.maven.settings.Server registry = new org.apache.maven.settings.Server();
    registry.setId("127.0.0.1:5000");
    registry.setUsername("ci");
    registry.setPassword("t0ken");
    org.apache.maven.settings.Server keyOnly = new org.apache.maven.settings.Server();
    keyOnly.setId("deploy-host");
    keyOnly.setPrivateKey("/home/ci/.ssh/id_ed25519");
    settings.addServer(registry);
    settings.addServer(keyOnly);
    mojo.settings = settings;
    var logins = mojo.registryCredentials();
    assertThat(logins).containsOnlyKeys("127.0.0.1:5000");
    assertThat(logins.get("127.0.0.1:5000").username()).isEqualTo("ci");
    assertThat(logins.get("127.0.0.1:5000").password()).isEqualTo("t0ken");
    assertThat(mojo.requestBuilder().build().toString()).doesNotContain("t0ken");
  }

  @Test
  void creationTimeAcceptsInstantsAndEpochSeconds() throws Exception {
    assertThat(BundlerMojo.creationTime("2026-01-01T00:00:00Z").getEpochSecond()).isEqualTo(1767225600L);
    assertThat(BundlerMojo.creationTime("1767225600").getEpochSecond()).isEqualTo(1767225600L);
    assertThat(BundlerMojo.creationTime(null).getEpochSecond()).isZero();
    assertThatThrownBy(() -> BundlerMojo.creationTime("yesterday"))
        .hasMessageContaining("project.build.outputTimestamp");
  }
}
