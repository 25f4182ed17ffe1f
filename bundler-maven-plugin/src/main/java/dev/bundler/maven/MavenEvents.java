package dev.bundler.maven;

import dev.bundler.ParameterSpelling;
import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.plugin.logging.Log;

/**
 * Shows bundler-core's events in Maven's log: log lines at their level, and progress of long tasks
 * at most every few seconds per task (and once at the end), so that CI logs stay readable; the
 * parameters the lines refer to as Maven users write them.
 */
final class MavenEvents implements EventHandler {
  private static final long PROGRESS_INTERVAL_NANOS = 3_000_000_000L;

  private final Log log;
  private final ParameterSpelling spelling;
  private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();

  MavenEvents(Log log, ParameterSpelling spelling) {
    this.log = log;
    this.spelling = spelling;
  }

  @Override
  public void handle(BundlerEvent event) {
    if (event instanceof BundlerEvent.Log line) {
      String message = spelling.render(line.message());
      switch (line.level()) {
        case DEBUG -> log.debug(message);
        case INFO -> log.info(message);
        case WARN -> log.warn(message);
        case ERROR -> log.error(message);
      }
    } else if (event instanceof BundlerEvent.Progress progress) {
      onProgress(progress);
    }
  }

  private void onProgress(BundlerEvent.Progress progress) {
    long now = System.nanoTime();
    if (progress.finished()) {
      lastProgress.remove(progress.task());
      log.info(progress.task() + ": done (" + amount(progress.done(), progress.unit()) + ")");
      return;
    }
    Long last = lastProgress.get(progress.task());
    if (last != null && now - last < PROGRESS_INTERVAL_NANOS) {
      return;
    }
    lastProgress.put(progress.task(), now);
    String of = progress.total() >= 0 ? " of " + amount(progress.total(), progress.unit()) : "";
    log.info(progress.task() + ": " + amount(progress.done(), progress.unit()) + of);
  }

  private static String amount(long value, String unit) {
    if ("bytes".equals(unit)) {
      if (value >= 10L << 20) {
        return (value >> 20) + " MiB";
      }
      if (value >= 10L << 10) {
        return (value >> 10) + " KiB";
      }
    }
    return value + " " + unit;
  }
}
