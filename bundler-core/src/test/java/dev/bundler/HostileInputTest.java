package dev.bundler;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bundler.events.EventHandler;
import dev.bundler.image.RegistryCredentials;
import dev.bundler.io.AtomicFiles;
import dev.bundler.testkit.EventLog;
import dev.bundler.testkit.FakeRegistry;
import dev.bundler.testkit.OciImage;
import dev.bundler.testkit.RefusedBuild;
import dev.bundler.testkit.StalledBuild;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite of issue 8, hermetic part ({@link HostileInputIT} has the cases that
 * need real parts). Each cause, with its case here or the test that holds it:
 *
 * <ol>
 *   <li>the cache trusted by size: {@link #aLayerBlobTamperedInTheCacheIsMadeAgain} here;
 *       {@code CacheTamperingTest} (a .deb tampered at the same size, a corrupt Packages.xz,
 *       offline), {@code UpdatePolicyTest.aCachedInReleaseIsVerifiedWhenUsedAndFetchedAgainWhenItFails},
 *       {@code LayerCacheTest.damagedBlobIsAMissAndIsRewritten}, {@code
 *       ImageAssemblerTest.aDamagedLayerBlobIsFoundWhileItIsCopiedAndNothingIsLeft}, {@code
 *       CacheSealTest} (forged records), {@code RegistryCacheIT} (a bad shared entry), and
 *       {@link #aRegistryCacheServingGarbageIsIgnored} here;
 *   <li>lockfile fields used as paths: {@code LockfileTest.eachBadFieldIsNamedWithTheFile},
 *       {@code DebianStageTrustTest.aLockfileWhoseSha256IsAPathFailsBeforeAnythingIsRead} and
 *       {@code aLockfileFromAnotherRepositoryIsRefusedNamingIt};
 *   <li>templates read through links: {@code TemplateDirectoryTest}, and the Maven scenario
 *       {@code src/it/fail-template-symlink} (nginx.conf -> /etc/shadow);
 *   <li>the keyring ignored: {@code KeyringChoiceTest};
 *   <li>secrets stored: {@code WheelhouseCompilerTest.theRunMountsSourcesReadOnlyAndKeepsSecretsOffTheCommandLine},
 *       {@code DebianStageTrustTest.aPasswordProtectedMirrorGetsItsCredentialsAndNoFileLogOrLockKeepsThem},
 *       {@code ImageToolsIT.aPrivateRegistryBaseIsPulledWithItsLoginAndRefusedWithoutIt}; here every
 *       case checks that no file under the output and cache directories holds {@link #PASSWORD},
 *       which the registry cases are given as a login;
 *   <li>a failed build keeps old outputs: {@code BundlerTest.aFailedBuildLeavesNoImageBehind},
 *       {@code BuildMojoTest.aFailedBuildRemovesTheOutputsOfTheLastOne} (a failure before the core
 *       is reached); here every case checks that the output directory holds no image;
 *   <li>the project's lockfile deleted: {@link #theProjectsLockfileOutlivesAFailedBuildAndClean};
 *   <li>bad input reported as a bug or an I/O failure: the wheel, base, cache and output
 *       directory cases here; {@code WheelInstallerTest} for each rule of the entry-point
 *       grammar and damaged zips;
 *   <li>debris: {@link #aKilledBuildsLeftoversAreSweptByTheNextBuild}; and every case here checks
 *       that nothing is written outside the output and cache directories (the JVM's temporary
 *       directory is {@code target/} in this tier, see the pom);
 *   <li>the tags client's credentials: {@code RegistryTagsTest} (a cross-host page, a redirect to
 *       another host, HTTPS retried over plain HTTP);
 *   <li>hangs: the fork timeouts of surefire and failsafe (pom);
 *   <li>no safe contributor loop: this tier itself, {@code mvn test}.
 * </ol>
 */
class HostileInputTest {
  /** A secret the registry cases are given; no file under the output or cache may hold it. */
  private static final String PASSWORD = "H0stile-S3cret";

  @TempDir Path temp;

  private BundleRequest.Builder request() {
    return StalledBuild.request(temp);
  }

  private void wheelhouse(String entryPoints) throws Exception {
    Path wheels = temp.resolve("wheels");
    wheel("demo", "1.0").file("demo/__init__.py", "def main(): print('demo')\n")
        .entryPoints("[console_scripts]\n" + entryPoints + "\n").requires("helper>=1").writeTo(wheels);
    wheel("helper", "1.5").file("helper/__init__.py", "").writeTo(wheels);
  }

  private BundlerException refused(BundleRequest.Builder request, Class<? extends BundlerException> type,
      Parameter parameter, String... named) throws Exception {
    return RefusedBuild.check(temp, request, type, parameter, PASSWORD, true, named);
  }

  @Test
  void aConsoleScriptNamedOutsideBinIsTheWheelsFault() throws Exception {
    wheelhouse("../../../etc/cron.d/evil = demo:main");
    refused(request(), InvalidInputException.class, Parameter.WHEELHOUSE,
        "demo-1.0-py3-none-any.whl", "entry_points.txt", "'../../../etc/cron.d/evil'");
  }

  @Test
  void anEntryPointPipWouldRefuseIsTheWheelsFault() throws Exception {
    wheelhouse("demo = demo:main()");
    refused(request(), InvalidInputException.class, Parameter.WHEELHOUSE,
        "demo-1.0-py3-none-any.whl", "entry_points.txt", "not 'module:function'");
  }

  @Test
  void aWheelWithADamagedCentralDirectoryIsTheWheelsFault() throws Exception {
    wheelhouse("demo = demo:main");
    Path helper = temp.resolve("wheels/helper-1.5-py3-none-any.whl");
    byte[] bytes = Files.readAllBytes(helper);
    for (int i = bytes.length - 1; i > 3; i--) {
      if (bytes[i - 3] == 0x50 && bytes[i - 2] == 0x4b && bytes[i - 1] == 0x01 && bytes[i] == 0x02) {
        for (int k = i + 7; k < i + 27; k++) {
          bytes[k] = (byte) 0xff; // the last central directory entry's method, sizes, offsets
        }
        break;
      }
    }
    Files.write(helper, bytes);
    refused(request(), InvalidInputException.class, Parameter.WHEELHOUSE,
        "helper-1.5-py3-none-any.whl", "cannot be read as a zip file", "rebuild or re-download");
  }

  @Test
  void aDirectoryNamedLikeAWheelIsNamed() throws Exception {
    wheelhouse("demo = demo:main");
    Files.createDirectories(temp.resolve("wheels/helper-2.0-py3-none-any.whl"));
    refused(request(), InvalidInputException.class, Parameter.WHEELHOUSE,
        "helper-2.0-py3-none-any.whl, which is a directory", "remove or rename it");
  }

  /** {@code -Dbundler.from=/etc/shadow}: the error names the file and quotes none of it. */
  @Test
  void aBaseThatIsNoImageIsNamedWithoutEchoingItsBytes() throws Exception {
    wheelhouse("demo = demo:main");
    String line = "root:$y$j9T$Xq0hostileSALT$tXKfl3HashOfTheRootPassword0123456789:19700:0:99999:7:::\n";
    Path shadow = Files.writeString(temp.resolve("shadow"), line.repeat(20));
    BundlerException failure = refused(request().from(shadow.toString()), InvalidInputException.class,
        Parameter.FROM, shadow.toString(), "not a tar archive");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("root:", "hostileSALT", "19700");
    }

    Path gzipped = temp.resolve("image.tar.gz");
    try (var out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      out.write(line.getBytes(StandardCharsets.UTF_8));
    }
    refused(request().from(gzipped.toString()), InvalidInputException.class, Parameter.FROM,
        gzipped.toString(), "(not compressed)");
  }

  @Test
  void aCacheDirectoryThatIsAFileOrCannotBeMadeIsNamed() throws Exception {
    wheelhouse("demo = demo:main");
    Path file = Files.writeString(temp.resolve("cache"), "a file");
    refused(request(), InvalidInputException.class, Parameter.CACHE_DIRECTORY, file + " is a file");
    refused(request().cacheDirectory(file.resolve("sub")), InvalidInputException.class,
        Parameter.CACHE_DIRECTORY, "lies under the file " + file);
    Files.delete(file);
    // /sys refuses new directories, to root too: what an unwritable cache directory meets.
    refused(request().cacheDirectory(Path.of("/sys/bundler-hostile-cache")),
        InvalidInputException.class, Parameter.CACHE_DIRECTORY, "/sys/bundler-hostile-cache cannot be used");
  }

  @Test
  void anOutputDirectoryThatIsAFileIsNamed() throws Exception {
    wheelhouse("demo = demo:main");
    Files.writeString(temp.resolve("elsewhere"), "a file");
    refused(request().outputDirectory(temp.resolve("elsewhere")), InvalidInputException.class,
        Parameter.OUTPUT_DIRECTORY, temp.resolve("elsewhere") + " is a file");
  }

  @Test
  void theProjectsLockfileOutlivesAFailedBuildAndClean() throws Exception {
    wheelhouse("demo = demo:main");
    Path lock = temp.resolve("bundler.lock.json");
    BundleRequest.Builder inProject = request().outputDirectory(temp).lockFile(lock);
    Bundler.create(EventHandler.NONE).plan(inProject.build());
    byte[] pinned = Files.readAllBytes(lock);
    Files.write(temp.resolve("wheels/demo-1.0-py3-none-any.whl"), new byte[] {'P', 'K', 0, 0});

    assertThat(catchThrowable(() -> Bundler.create(EventHandler.NONE).build(inProject.build())))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("demo-1.0-py3-none-any.whl");
    assertThat(lock).hasBinaryContent(pinned);
    Bundler.create(EventHandler.NONE).clean(temp, lock);
    assertThat(lock).hasBinaryContent(pinned);
  }

  /**
   * A build killed (SIGKILL) while writing its tarball leaves its scratch directory and a partial
   * tarball, and nothing in the temporary directory; the next build removes both.
   */
  @Test
  void aKilledBuildsLeftoversAreSweptByTheNextBuild() throws Exception {
    wheelhouse("demo = demo:main");
    Path tmpdir = Files.createDirectories(temp.resolve("killed-jvm-tmp"));
    StalledBuild.runAndKill(temp, tmpdir);
    assertThat(names(temp.resolve("out"))).as("left by the kill")
        .anyMatch(name -> name.startsWith(AtomicFiles.PARTIAL_PREFIX) && name.endsWith(".tar"));
    assertThat(names(temp.resolve("cache/tmp"))).as("left by the kill")
        .anyMatch(name -> name.startsWith("build-"));
    assertThat(names(tmpdir)).as("what the killed build wrote in its temporary directory").isEmpty();

    BuildResult next = Bundler.create(EventHandler.NONE).build(request().build());

    assertThat(names(temp.resolve("out"))).containsExactlyInAnyOrder("image.tar", "image.json",
        "image.digest", "image.id", "sbom.cdx.json", "bundler.lock.json", ".bundler-state");
    assertThat(names(temp.resolve("cache/tmp"))).isEmpty();
    assertThat(OciImage.read(next.image().tarball()).layerDigests()).hasSize(3);
  }

  @Test
  void aLayerBlobTamperedInTheCacheIsMadeAgain() throws Exception {
    wheelhouse("demo = demo:main");
    String digest = Bundler.create(EventHandler.NONE).build(request().build()).image().imageDigest();
    try (Stream<Path> blobs = Files.list(temp.resolve("cache/layers/blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x20; // same size
        Files.write(blob, bytes);
      }
    }
    AtomicFiles.deleteRecursively(temp.resolve("out"));

    BuildResult again = Bundler.create(EventHandler.NONE).build(request().build());

    assertThat(again.image().imageDigest()).isEqualTo(digest);
    assertThat(OciImage.read(again.image().tarball()).layerDigests()).hasSize(3);
  }

  /** A registry serving a base image whose layer is not the blob its manifest names. */
  @Test
  void aRegistryServingGarbageAsTheBaseImageFailsNamingIt() throws Exception {
    wheelhouse("demo = demo:main");
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"]}}".getBytes(StandardCharsets.UTF_8);
    byte[] garbage = "not the layer the manifest names".getBytes(StandardCharsets.UTF_8);
    String claimed = "sha256:" + "ab".repeat(32);
    byte[] manifest = FakeRegistry.manifest(FakeRegistry.digest(config), config.length,
        List.of(Map.entry(claimed, (long) garbage.length)));
    try (FakeRegistry registry = FakeRegistry.start(tag -> tag.equals("1") ? manifest : null)) {
      registry.blob(FakeRegistry.digest(config), config).blob(claimed, garbage);
      String base = registry.host() + "/team/base:1";
      refused(request().from(base).allowInsecureRegistries(true)
              .registryCredentials(Map.of(registry.host(), new RegistryCredentials("ci", PASSWORD))),
          EnvironmentException.class, Parameter.FROM, base,
          "served a blob that is not the one its manifest names");
      assertThat(registry.requests()).as("the registry was asked")
          .anyMatch(r -> r.target().contains("/manifests/1"));
    }
  }

  /**
   * A shared cache repository whose entries are not what their records say (a layer blob whose
   * diff id is another's): each is ignored with a warning, and the image is the one made here.
   */
  @Test
  void aRegistryCacheServingGarbageIsIgnored() throws Exception {
    wheelhouse("demo = demo:main");
    String digest = Bundler.create(EventHandler.NONE).build(request()
        .outputDirectory(temp.resolve("clean-out")).cacheDirectory(temp.resolve("clean-cache"))
        .build()).image().imageDigest();
    byte[] evil = gzip("a layer that is not the one recorded");
    FakeRegistry[] registry = new FakeRegistry[1];
    registry[0] = FakeRegistry.start(tag -> {
      String kind = tag.substring(0, tag.indexOf('-'));
      String key = tag.substring(tag.indexOf('-') + 1);
      byte[] record = ("{\"format\":\"bundler-cache/1\",\"kind\":\"" + kind + "\",\"key\":\"" + key
          + "\",\"digest\":\"" + FakeRegistry.digest(evil) + "\",\"diffId\":\"sha256:" + "0".repeat(64)
          + "\",\"size\":" + evil.length + ",\"seal\":null}").getBytes(StandardCharsets.UTF_8);
      registry[0].blob(FakeRegistry.digest(record), record);
      return FakeRegistry.manifest(FakeRegistry.digest(record), record.length,
          List.of(Map.entry(FakeRegistry.digest(evil), (long) evil.length)));
    });
    try (FakeRegistry served = registry[0].blob(FakeRegistry.digest(evil), evil)) {
      EventLog events = new EventLog();
      BuildResult result = Bundler.create(events).build(request().allowInsecureRegistries(true)
          .cacheRepository(served.host() + "/team/cache").build());

      assertThat(result.image().imageDigest()).isEqualTo(digest);
      assertThat(events.warnings()).anyMatch(w -> w.contains(served.host() + "/team/cache")
          && w.contains("ignored"));
      assertThat(served.requests()).anyMatch(r -> r.target().contains("/blobs/" + FakeRegistry.digest(evil)));
    }
  }

  private static byte[] gzip(String text) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static List<String> names(Path directory) throws Exception {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }
}
