package dev.bundler.events;

/**
 * Something bundler-core wants its caller to know: a log line or the progress of long work.
 *
 * <p>The core never prints; a front end (the Maven plugin, a test) receives these through an
 * {@link EventHandler} and shows them as it sees fit.
 */
public sealed interface BundlerEvent permits BundlerEvent.Log, BundlerEvent.Progress {

  /** Importance of a log line, mapped by front ends onto their own levels. */
  enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  /** A log line. */
  record Log(Level level, String message) implements BundlerEvent {}

  /**
   * Progress of a long task: {@code done} out of {@code total} {@code unit}s ({@code total} is
   * negative when unknown). A task reports {@code done == total} once, when it ends.
   */
  record Progress(String task, long done, long total, String unit) implements BundlerEvent {
    public boolean finished() {
      return total >= 0 && done >= total;
    }
  }
}
