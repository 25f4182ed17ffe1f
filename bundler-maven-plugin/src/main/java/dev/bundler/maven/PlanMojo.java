package dev.bundler.maven;

import dev.bundler.Bundler;
import dev.bundler.BundlerException;
import dev.bundler.events.EventHandler;
import dev.bundler.lock.Lockfile;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves, without building, the Debian packages of the image (and its wheels, when a wheelhouse
 * is given), prints them by layer, and writes them to the lockfile ({@code bundler.lock.json}):
 * every package with its version, repository path and SHA-256. Later builds use exactly what it
 * pins. To re-resolve, delete the lockfile first.
 */
@Mojo(name = "plan", threadSafe = true, requiresProject = false)
public class PlanMojo extends BundlerMojo {

  @Override
  void run(EventHandler events) throws BundlerException, IOException {
    Lockfile lock = Bundler.create(events).plan(requestBuilder().build());
    Map<String, List<Lockfile.DebianPackage>> byLayer = new LinkedHashMap<>();
    for (String layer : dev.bundler.apt.DebianBase.LAYERS) {
      byLayer.put(layer, new java.util.ArrayList<>());
    }
    for (Lockfile.DebianPackage pkg : lock.debian()) {
      byLayer.computeIfAbsent(pkg.layer(), l -> new java.util.ArrayList<>()).add(pkg);
    }
    byLayer.values().removeIf(List::isEmpty);
    for (Map.Entry<String, List<Lockfile.DebianPackage>> layer : byLayer.entrySet()) {
      long bytes = layer.getValue().stream().mapToLong(Lockfile.DebianPackage::size).sum();
      getLog().info("Layer debian " + layer.getKey() + ": " + layer.getValue().size()
          + " packages, " + (bytes >> 10) + " KiB");
      for (Lockfile.DebianPackage pkg : layer.getValue()) {
        getLog().info(String.format("  %-32s %-28s %-20s %8d KiB", pkg.name(), pkg.version(),
            pkg.suite(), pkg.size() >> 10));
      }
    }
    for (Lockfile.Wheel wheel : lock.wheels()) {
      getLog().info(String.format("  wheel %-26s %-28s %s", wheel.name(), wheel.version(), wheel.file()));
    }
  }
}
