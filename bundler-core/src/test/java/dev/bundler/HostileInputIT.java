package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryCredentials;
import dev.bundler.testkit.LocalRegistry;
import dev.bundler.testkit.OciImage;
import dev.bundler.testkit.RefusedBuild;
import dev.bundler.testkit.StalledBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite of issue 8, cases with real parts ({@link HostileInputTest} lists every
 * cause and holds the hermetic cases): a real registry serving garbage as the base image. The
 * Maven-level cases, with Maven's exit code and build.log, are the invoker scenarios {@code
 * src/it/fail-from-etc-shadow}, {@code fail-console-script-outside-bin} and {@code
 * fail-cache-dir-is-a-file}.
 */
class HostileInputIT {
  private static final String PASSWORD = "H0stile-Registry-Pw";

  @TempDir Path temp;
  /** The registry's own files, which it writes while serving: outside the build's tree. */
  @TempDir Path registryFiles;

  /**
   * A private registry (docker-registry, TLS, a login) whose stored layer of the base image was
   * damaged on its disk: it serves the blob under its digest as it is. The pull fails naming
   * {@code bundler.from}, no image is left, and the login is in no file.
   */
  @Test
  void aRegistryServingADamagedBaseLayerFailsNamingTheBaseAndKeepsNoLogin() throws Exception {
    Path wheels = temp.resolve("wheels");
    wheel("demo", "1.0").file("demo/__init__.py", "").writeTo(wheels);
    wheel("helper", "1.5").file("helper/__init__.py", "").writeTo(wheels);
    Path base = Bundler.create(EventHandler.NONE).build(StalledBuild.request(temp)
        .packageSpec("helper==1.5").outputDirectory(temp.resolve("base")).build()).image().tarball();
    try (LocalRegistry registry = LocalRegistry.startWithLogin(registryFiles, "ci", PASSWORD)) {
      String reference = registry.push(base, "team/base:1");
      String layer = OciImage.read(base).layerDigests().get(0).substring("sha256:".length());
      Path stored = registryFiles.resolve("storage/docker/registry/v2/blobs/sha256")
          .resolve(layer.substring(0, 2)).resolve(layer).resolve("data");
      byte[] bytes = Files.readAllBytes(stored);
      bytes[bytes.length / 2] ^= 0x40;
      Files.write(stored, bytes);

      RefusedBuild.check(temp, StalledBuild.request(temp).from(reference).allowInsecureRegistries(true)
              .registryCredentials(Map.of(registry.address(), new RegistryCredentials("ci", PASSWORD))),
          EnvironmentException.class, Parameter.FROM, PASSWORD, false, reference,
          "served a blob that is not the one its manifest names");
    }
  }
}
