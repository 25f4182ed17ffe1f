package dev.bundler.build;

import dev.bundler.BuildResult;
import dev.bundler.BundleRequest;
import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import dev.bundler.image.ImageAssembler;
import dev.bundler.image.ImageLayer;
import dev.bundler.image.ImageOutputs;
import dev.bundler.image.ImagePlan;
import dev.bundler.image.ImageResult;
import dev.bundler.image.ImageSpec;
import dev.bundler.io.AtomicFiles;
import dev.bundler.layer.CorruptBlobException;
import dev.bundler.layer.Layer;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.sbom.Sbom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image stage: the planned layers written (or found), the image's digest computed from them,
 * and only what is missing of the outputs written: a build whose {@code target/bundler/} already
 * holds that image, lockfile and SBOM writes nothing. A cached layer blob found damaged while it
 * is copied is evicted, written again, and the copy retried once.
 */
final class ImageStage {
  static final String LOCK_COPY = "bundler.lock.json";

  private final Pipeline pipeline;
  private final BundleRequest request;
  private final EventHandler events;

  ImageStage(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.request = pipeline.request();
    this.events = pipeline.events();
  }

  BuildResult run(BuildPlan plan, boolean push) throws BundlerException, IOException {
    ImageAssembler assembler = ImageAssembler.create(request.cacheDirectory(), events)
        .allowInsecureRegistries(request.allowInsecureRegistries())
        .offline(request.debian().offline())
        .credentials(request.registryCredentials());
    Path output = request.outputDirectory();
    // Each damaged layer found while copying is made again once; one damaged again is not retried.
    java.util.Set<String> remade = new java.util.HashSet<>();
    while (true) {
      List<ImageLayer> layers = layers(plan);
      try (ImagePlan image = assembler.plan(new ImageSpec(request.base(), layers, plan.config(),
          request.image(), request.architecture()))) {
        boolean remoteOnly = layers.stream()
            .anyMatch(layer -> pipeline.shared().isRemoteOnly(layer.layer().digest()));
        ImageResult result = assembler.result(image, request.image(),
            remoteOnly ? null : ImageOutputs.tarball(output).toAbsolutePath());
        Map<String, byte[]> files = new LinkedHashMap<>(ImageOutputs.metadata(result));
        if (!isProjectLockfile(output.resolve(LOCK_COPY))) {
          files.put(LOCK_COPY, plan.lock().bytes());
        }
        files.put(Sbom.FILE, Sbom.cyclonedx(plan.lock(), result, request.debian().suite(),
            request.creationTime(), Bundler.version(), plan.packages().isEmpty() ? null
                : dev.bundler.apt.Slimming.of(request.debian().keepDocumentation()).omitted()));
        Path tarball = ImageOutputs.tarball(output);
        if (remoteOnly) {
          // A push mounts what the registry cache has: no tarball, whose layers are not here.
          events.info("Layers of " + request.image() + " stay in the registry cache "
              + pipeline.shared().remote().repository() + ": no " + tarball.getFileName()
              + " is written (bundler:build writes it)");
          Files.createDirectories(output);
          Files.deleteIfExists(tarball);
          for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!ImageOutputs.holds(output.resolve(file.getKey()), file.getValue())) {
              AtomicFiles.write(output.resolve(file.getKey()), file.getValue());
            }
          }
        } else if (assembler.holds(tarball, image, request.image()) && allHeld(output, files)) {
          events.info("The image " + result.image() + " in " + output + " is up to date ("
              + result.imageDigest() + "): nothing to write");
        } else {
          events.info("Writing image " + request.image());
          Files.createDirectories(output);
          // The metadata says an image is complete: it goes first, and comes back last.
          for (String name : files.keySet()) {
            Files.deleteIfExists(output.resolve(name));
          }
          assembler.writeTarball(image, request.image(), tarball);
          for (Map.Entry<String, byte[]> file : files.entrySet()) {
            AtomicFiles.write(output.resolve(file.getKey()), file.getValue());
          }
        }
        ImageResult pushed = push ? assembler.push(image, request.image(), request.additionalTags(),
            pipeline.shared().remote()) : null;
        return new BuildResult(result, output.resolve("image.json"), plan.distributions(), pushed);
      } catch (CorruptBlobException e) {
        if (!remade.add(e.layer().digest())) {
          throw e;
        }
        evict(plan, e.layer());
      }
    }
  }

  private List<ImageLayer> layers(BuildPlan plan) throws BundlerException, IOException {
    List<ImageLayer> layers = new ArrayList<>();
    for (PlannedLayer planned : plan.layers()) {
      layers.add(new ImageLayer(planned.description(), pipeline.writes().get(planned)));
    }
    return layers;
  }

  private void evict(BuildPlan plan, Layer damaged) throws BundlerException, IOException {
    for (PlannedLayer planned : plan.layers()) {
      if (pipeline.writes().get(planned).digest().equals(damaged.digest())) {
        pipeline.writes().evict(planned, damaged);
      }
    }
  }

  private boolean isProjectLockfile(Path copy) {
    Path project = request.lockFile();
    return project != null && project.toAbsolutePath().normalize()
        .equals(copy.toAbsolutePath().normalize());
  }

  private static boolean allHeld(Path output, Map<String, byte[]> files) {
    return files.entrySet().stream()
        .allMatch(file -> ImageOutputs.holds(output.resolve(file.getKey()), file.getValue()));
  }
}
