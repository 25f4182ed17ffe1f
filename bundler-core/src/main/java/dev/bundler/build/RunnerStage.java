package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.layer.CacheKey;
import dev.bundler.layer.Digests;
import dev.bundler.layer.PlannedLayer;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.Wheel;
import dev.bundler.runner.Crontab;
import dev.bundler.runner.RunnerFiles;
import dev.bundler.runner.RunnerLayout;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runner stage's own layer: the entrypoint, the templates it renders at start (the shipped
 * ones or the project's), the cron wrapper and the application's crontab.
 */
final class RunnerStage {
  private final BundleRequest request;
  private final RunnerLayout runner;
  private final PythonTarget target;
  private final Consumer<Closeable> closeAtEnd;
  private final dev.bundler.events.EventHandler events;

  RunnerStage(BundleRequest request, RunnerLayout runner, PythonTarget target,
      Consumer<Closeable> closeAtEnd, dev.bundler.events.EventHandler events) {
    this.request = request;
    this.runner = runner;
    this.target = target;
    this.closeAtEnd = closeAtEnd;
    this.events = events;
  }

  /** The layer, keyed by the layout, the templates and the application's crontab. */
  PlannedLayer layer(WheelSelection.Selected application) throws BundlerException, IOException {
    Map<String, byte[]> templates = RunnerFiles.withOverrides(request.templates());
    CacheKey key = CacheKey.of("runner-files/4").with("layout", runner.toString())
        .with("crontab", application.crontab());
    for (Map.Entry<String, byte[]> template : templates.entrySet()) {
      key.with(template.getKey(), Digests.sha256Hex(template.getValue()));
    }
    return new PlannedLayer("runner files", key.build(), () -> {
      Crontab crontab = null;
      if (application.crontab() != null) {
        Wheel wheel = Wheel.open(application.file(), target, Parameter.PACKAGE);
        closeAtEnd.accept(wheel);
        String path = runner.module() + "/crontab";
        byte[] content = wheel.readOrNull(path);
        if (content == null || !Digests.sha256Hex(content).equals(application.crontab())) {
          throw new InvalidInputException(Parameter.PACKAGE, "The wheel " + application.file()
              + " changed while the build ran: build again");
        }
        crontab = Crontab.parse(content, application.file().getFileName() + "!/" + path, runner);
        events.info("Installing the crontab of " + runner.module() + " for " + runner.user()
            + (crontab.system() ? " as " + Crontab.SYSTEM_FILE + " (it has a user column)" : ""));
      }
      return RunnerFiles.entries(runner, templates, crontab);
    });
  }
}
