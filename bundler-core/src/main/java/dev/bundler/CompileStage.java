package dev.bundler;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.compile.ContainerRunner;
import dev.bundler.compile.ContainerRuntime;
import dev.bundler.compile.WheelhouseCompiler;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.image.ContainerConfig;
import dev.bundler.image.ImageAssembler;
import dev.bundler.image.ImageLayer;
import dev.bundler.image.ImageSpec;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compile stage: the compiler image (the runtime's Debian packages plus build tools, built
 * the same daemonless way) and one container run of {@code pip wheel} in it, skipped when the
 * wheelhouse of the same inputs is cached.
 */
final class CompileStage {
  private final BundleRequest request;
  private final DebianStage debian;
  private final EventHandler events;

  CompileStage(BundleRequest request, DebianStage debian, EventHandler events) {
    this.request = request;
    this.debian = debian;
    this.events = events;
  }

  /** The wheelhouse to install from: the given one, or one built (or found) by pip. */
  Path wheelhouse(List<BinaryPackage> runtime, LayerCache cache, LayerWriter writer)
      throws BundlerException, IOException {
    if (request.wheelhouse() != null) {
      return request.wheelhouse();
    }
    CompileSettings settings = request.compile();
    if (!settings.hasSources()) {
      if (request.application().wheel() != null) {
        return null;
      }
      throw new InvalidInputException("bundler.wheelhouse", "No wheels for "
          + request.application() + ": give a wheelhouse (-Dbundler.wheelhouse=DIR), or where "
          + "pip finds distributions to build one (-Dbundler.findLinks=DIR or -Dbundler.index=URL)");
    }
    if (!(request.base() instanceof BaseImage.Debian)) {
      throw new InvalidInputException("bundler.wheelhouse", "Building a wheelhouse needs the "
          + "Debian base (-Dbundler.from=debian) for its compiler image; with -Dbundler.from="
          + request.base() + " give pre-built wheels with -Dbundler.wheelhouse");
    }
    List<BinaryPackage> compiler = debian.compilerPackages(settings.buildPackages());
    Set<String> runtimeNames = new HashSet<>();
    runtime.forEach(p -> runtimeNames.add(p.name()));
    Set<String> buildOnly = new HashSet<>();
    compiler.stream().map(BinaryPackage::name).filter(n -> !runtimeNames.contains(n))
        .forEach(buildOnly::add);
    String imageId = compilerImageId(compiler);
    WheelhouseCompiler.Job job = new WheelhouseCompiler.Job(imageId,
        requirement(), "python" + request.python(), settings.index(), settings.findLinks(),
        settings.pipConf(), settings.constraints());
    WheelhouseCompiler compilerStage =
        new WheelhouseCompiler(request.cacheDirectory().resolve("wheelhouses"), events);
    return compilerStage.compile(job, () -> {
      ContainerRuntime runtimeCli = ContainerRuntime.find(settings.containerRuntime(), System.getenv());
      Path image = request.cacheDirectory().resolve("compiler")
          .resolve(imageId + (runtimeCli.runsOciArchives() ? ".tar" : ".docker.tar"));
      if (!Files.isRegularFile(image)) {
        writeCompilerImage(compiler, buildOnly, image, runtimeCli.runsOciArchives(), cache, writer);
      }
      return new WheelhouseCompiler.Prepared(ContainerRunner.create(runtimeCli,
          request.cacheDirectory().resolve("podman"), settings.containerArgs(), events), image);
    }).wheelhouse();
  }

  private String requirement() {
    PackageSpec application = request.application();
    String extras = application.extras().isEmpty() ? "" : "[" + String.join(",", application.extras()) + "]";
    return application.name() + extras + "==" + application.version();
  }

  /** Identifies the compiler image by what makes it: its packages and the user it has. */
  private String compilerImageId(List<BinaryPackage> compiler) {
    CacheKey key = CacheKey.of("compiler-image/1")
        .with("architecture", request.architecture())
        .with("user", request.appUser() + ":" + request.appUid() + ":" + request.appGid());
    compiler.stream().map(BinaryPackage::sha256).sorted().forEach(sha -> key.with("deb", sha));
    return key.build();
  }

  private void writeCompilerImage(List<BinaryPackage> compiler, Set<String> buildOnly, Path image,
      boolean oci, LayerCache cache, LayerWriter writer) throws BundlerException, IOException {
    events.info("Writing the compiler image (" + compiler.size() + " Debian packages)");
    List<ImageLayer> layers = new ArrayList<>(debian.layers(compiler, buildOnly, cache, writer));
    ContainerConfig config = new ContainerConfig(List.of(), List.of("bash"),
        Map.of("LANG", "C.UTF-8", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        Set.of(), Set.of(), "1000:1000", "/tmp", Map.of(), Instant.EPOCH);
    Files.createDirectories(image.getParent());
    ImageSpec spec = new ImageSpec(new BaseImage.Scratch(), layers, config,
        "bundler/compiler:" + image.getFileName().toString().substring(0, 12),
        request.architecture());
    ImageAssembler assembler = ImageAssembler.create(request.cacheDirectory(), events);
    if (oci) {
      assembler.writeTarball(spec, image);
    } else {
      assembler.writeDockerTarball(spec, image);
    }
  }
}
