package dev.bundler.build;

import dev.bundler.apt.BinaryPackage;
import dev.bundler.image.ContainerConfig;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.lock.Lockfile;
import dev.bundler.python.PythonTarget;
import java.util.List;
import java.util.Objects;

/**
 * What a build will produce, decided before any layer is written: the Debian packages, the
 * wheels, the key of every layer and the image config. Together with the cached layers' digests
 * it fixes the image digest, so a build whose outputs already carry that digest has nothing to
 * write. {@code bundler:plan}, {@code build} and {@code push} all start from it.
 *
 * @param packages the Debian runtime packages (empty on a non-Debian base)
 * @param target the Python the image runs
 * @param wheels the wheels installed, the application's first (empty when planning without a
 *     wheelhouse)
 * @param layers the image's layers, lowest first, each with its cache key
 * @param config the image's runtime config
 * @param lock the lockfile of this plan: every package and wheel with its hash
 */
public record BuildPlan(List<BinaryPackage> packages, PythonTarget target, List<Lockfile.Wheel> wheels,
    List<PlannedLayer> layers, ContainerConfig config, Lockfile lock) {

  public BuildPlan {
    packages = List.copyOf(packages);
    Objects.requireNonNull(target, "target");
    wheels = List.copyOf(wheels);
    layers = List.copyOf(layers);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(lock, "lock");
  }

  /** The distributions installed, as {@code name==version}, the application first. */
  public List<String> distributions() {
    return wheels.stream().map(w -> w.name() + "==" + w.version()).toList();
  }
}
