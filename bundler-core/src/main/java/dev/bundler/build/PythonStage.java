package dev.bundler.build;

import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.python.InstalledDistribution;
import dev.bundler.python.Names;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.VenvLayout;
import dev.bundler.python.Wheel;
import dev.bundler.python.WheelInstaller;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Python layers of the runner: the standard library's bytecode, the third-party wheels with
 * the empty virtualenv, and the application's own wheel, each with the bytecode compiled for it.
 * Wheels are opened (and their RECORD checked) only when a layer must be written.
 */
final class PythonStage {
  private final VenvLayout venv;
  private final BytecodeStage bytecode;
  private final Consumer<Closeable> closeAtEnd;

  PythonStage(VenvLayout venv, BytecodeStage bytecode, Consumer<Closeable> closeAtEnd) {
    this.venv = venv;
    this.bytecode = bytecode;
    this.closeAtEnd = closeAtEnd;
  }

  /** The layers of {@code wheels} (application first), and of the standard library's bytecode. */
  List<PlannedLayer> layers(List<WheelSelection.Selected> wheels) {
    List<PlannedLayer> layers = new ArrayList<>();
    PlannedLayer system = bytecode.systemLayer();
    if (system != null) {
      layers.add(system);
    }
    WheelSelection.Selected app = wheels.get(0);
    List<WheelSelection.Selected> dependencies = wheels.subList(1, wheels.size());
    layers.add(new PlannedLayer("python dependencies and virtualenv", key(dependencies),
        () -> {
          List<LayerEntry> entries = new ArrayList<>(venv.skeleton());
          for (InstalledDistribution installed : install(dependencies, Set.of())) {
            entries.addAll(installed.entries());
          }
          return entries;
        }));
    layers.add(new PlannedLayer("application " + app.name() + " " + app.version(),
        key(List.of(app)),
        () -> new ArrayList<>(install(List.of(app), Set.of(Names.normalize(app.name())))
            .get(0).entries())));
    return layers;
  }

  private List<InstalledDistribution> install(List<WheelSelection.Selected> wheels,
      Set<String> requested) throws BundlerException, IOException {
    List<Wheel> opened = new ArrayList<>();
    for (WheelSelection.Selected selected : wheels) {
      Wheel wheel = Wheel.open(selected.file(), venv.target(), Parameter.WHEELHOUSE);
      closeAtEnd.accept(wheel);
      if (!wheel.sha256().equals(selected.sha256())) {
        throw new InvalidInputException(Parameter.WHEELHOUSE, "The wheel " + selected.file()
            + " changed while the build ran: build again");
      }
      opened.add(wheel);
    }
    List<InstalledDistribution> installed = new WheelInstaller(venv).installAll(opened, requested);
    List<InstalledDistribution> withBytecode = new ArrayList<>();
    for (int i = 0; i < installed.size(); i++) {
      InstalledDistribution distribution = installed.get(i);
      Map<String, byte[]> compiled = bytecode.wheel(wheels.get(i).sha256());
      if (compiled.isEmpty()) {
        withBytecode.add(distribution);
        continue;
      }
      List<LayerEntry> entries = new ArrayList<>(distribution.entries());
      compiled.forEach((path, bytes) -> entries.add(LayerEntry.file(
          venv.path(venv.sitePackages() + "/" + path), 0644, venv.uid(), venv.gid(),
          Content.of(bytes))));
      withBytecode.add(new InstalledDistribution(distribution.name(), distribution.version(),
          distribution.wheel(), distribution.sha256(), entries));
    }
    return withBytecode;
  }

  private String key(List<WheelSelection.Selected> wheels) {
    PythonTarget target = venv.target();
    CacheKey key = CacheKey.of(WheelInstaller.FORMAT + "+" + dev.bundler.compile.Bytecode.FORMAT)
        .with("root", venv.root())
        .with("interpreter", venv.interpreter())
        .with("owner", venv.uid() + ":" + venv.gid())
        .with("python", target.fullVersion())
        .with("machine", target.machine())
        .with("glibc", target.glibc());
    wheels.stream().map(w -> w.sha256() + " " + bytecode.wheelState(w.sha256())).sorted()
        .forEach(wheel -> key.with("wheel", wheel));
    return key.build();
  }
}
