package dev.bundler.events;

/** Receives the events of a bundler run. Implementations must be thread-safe. */
@FunctionalInterface
public interface EventHandler {

  /** A handler that drops everything. */
  EventHandler NONE = event -> {};

  void handle(BundlerEvent event);

  default void debug(String message) {
    handle(new BundlerEvent.Log(BundlerEvent.Level.DEBUG, message));
  }

  default void info(String message) {
    handle(new BundlerEvent.Log(BundlerEvent.Level.INFO, message));
  }

  default void warn(String message) {
    handle(new BundlerEvent.Log(BundlerEvent.Level.WARN, message));
  }

  default void progress(String task, long done, long total, String unit) {
    handle(new BundlerEvent.Progress(task, done, total, unit));
  }
}
