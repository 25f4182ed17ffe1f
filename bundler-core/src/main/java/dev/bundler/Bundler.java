package dev.bundler;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.events.EventHandler;
import dev.bundler.image.BaseImage;
import dev.bundler.image.ImageAssembler;
import dev.bundler.image.ImageLayer;
import dev.bundler.image.ImageOutputs;
import dev.bundler.image.ImageResult;
import dev.bundler.image.ImageSpec;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Layer;
import dev.bundler.layer.LayerCache;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.python.InstalledDistribution;
import dev.bundler.python.Names;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.VenvLayout;
import dev.bundler.python.Wheel;
import dev.bundler.python.WheelInstaller;
import dev.bundler.python.Wheelhouse;
import dev.bundler.runner.RunnerFiles;
import dev.bundler.runner.RunnerLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * bundler's entry point: turns a {@link BundleRequest} into an image.
 *
 * <p>Layers, from least to most often changing: the base, the third-party wheels (with the empty
 * virtualenv), the application's own wheel, the runner's files. Each is cached by its inputs, so a
 * new version of the application rebuilds only the last two.
 */
public final class Bundler {
  private final EventHandler events;

  private Bundler(EventHandler events) {
    this.events = events;
  }

  public static Bundler create(EventHandler events) {
    return new Bundler(events);
  }

  /**
   * Builds the runner image and writes it as an OCI archive with its metadata in the request's
   * output directory. Outputs of an earlier build there are removed first, so a failed build
   * leaves none behind.
   */
  public BuildResult build(BundleRequest request) throws BundlerException, IOException {
    Path output = request.outputDirectory();
    Files.createDirectories(output);
    ImageOutputs.clean(output);
    LayerCache cache = LayerCache.at(request.cacheDirectory().resolve("layers"));
    LayerWriter writer = LayerWriter.create();
    List<ImageLayer> layers = new ArrayList<>();
    PythonTarget target = PythonTarget.bookworm(request.python(), request.architecture());
    DebianStage debian = null;
    List<BinaryPackage> packages = List.of();
    if (request.base() instanceof BaseImage.Debian) {
      debian = new DebianStage(request, events);
      packages = debian.runtimePackages();
      target = new PythonTarget(request.python(), debian.pythonFullVersion(packages),
          request.architecture(), target.glibc());
    }
    RunnerLayout runner = RunnerLayout.of(request);
    VenvLayout venv = new VenvLayout(runner.venv(), target, "/usr/bin/python" + request.python(), 0, 0);

    PackageSpec application = request.application();
    events.info("Selecting wheels for " + application + " from "
        + (request.wheelhouse() == null ? "the given wheel" : request.wheelhouse()));
    Wheelhouse wheelhouse = Wheelhouse.scan(request.wheelhouse(), target);
    List<Wheel> wheels = wheelhouse.select(
        application.name(), application.version(), application.extras(), application.wheel());
    try {
      Wheel app = wheels.get(0);
      List<Wheel> dependencies = wheels.subList(1, wheels.size());
      WheelInstaller installer = new WheelInstaller(venv);
      // Checks that no two wheels install the same file before anything is written.
      List<InstalledDistribution> installed =
          installer.installAll(wheels, Set.of(Names.normalize(app.name())));
      events.info("Installing " + installed.size() + " distributions: " + installed);
      if (debian != null) {
        layers.addAll(debian.layers(packages, cache, writer));
      }

      layers.add(new ImageLayer("python dependencies and virtualenv", cache.computeIfAbsent(
          wheelsKey(venv, dependencies), writer, () -> {
            List<LayerEntry> entries = new ArrayList<>(venv.skeleton());
            installed.subList(1, installed.size()).forEach(d -> entries.addAll(d.entries()));
            return entries;
          })));
      layers.add(new ImageLayer("application " + app.name() + " " + app.version(),
          cache.computeIfAbsent(wheelsKey(venv, List.of(app)), writer,
              () -> installed.get(0).entries())));
      List<LayerEntry> runnerFiles = RunnerFiles.entries(runner);
      layers.add(new ImageLayer("runner files", cache.computeIfAbsent(
          runnerKey(runner), writer, () -> runnerFiles)));

      events.info("Writing image " + request.image());
      ImageResult image = ImageAssembler.create(request.cacheDirectory(), events)
          .allowInsecureRegistries(request.allowInsecureRegistries())
          .writeTarball(
          new ImageSpec(request.base(), layers, runner.containerConfig(request.creationTime()),
              request.image(), request.architecture()),
          ImageOutputs.tarball(output));
      Path imageJson = ImageOutputs.write(image, output);
      List<String> names = installed.stream().map(InstalledDistribution::toString).toList();
      return new BuildResult(image, imageJson, names);
    } finally {
      for (Wheel wheel : wheels) {
        wheel.close();
      }
    }
  }

  private static String wheelsKey(VenvLayout venv, List<Wheel> wheels) {
    PythonTarget target = venv.target();
    CacheKey key = CacheKey.of(WheelInstaller.FORMAT)
        .with("root", venv.root())
        .with("interpreter", venv.interpreter())
        .with("owner", venv.uid() + ":" + venv.gid())
        .with("python", target.fullVersion())
        .with("machine", target.machine())
        .with("glibc", target.glibc());
    wheels.stream().map(Wheel::sha256).sorted().forEach(sha -> key.with("wheel", sha));
    return key.build();
  }

  private static String runnerKey(RunnerLayout runner) {
    CacheKey key = CacheKey.of("runner-files/1").with("layout", runner.toString());
    for (String template : RunnerFiles.TEMPLATES) {
      key.with(template, dev.bundler.layer.Digests.sha256Hex(RunnerFiles.template(template)));
    }
    return key.build();
  }
}
