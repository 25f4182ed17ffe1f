package dev.bundler.testkit;

import dev.bundler.events.BundlerEvent;
import dev.bundler.events.EventHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a run reports, for tests to check what users would read in their log. */
public final class EventLog implements EventHandler {
  private final List<BundlerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void handle(BundlerEvent event) {
    events.add(event);
  }

  /** Every log line and progress task, in order. */
  public List<String> lines() {
    return events.stream().map(event -> event instanceof BundlerEvent.Log log ? log.message()
        : ((BundlerEvent.Progress) event).task()).toList();
  }

  /** The warnings. */
  public List<String> warnings() {
    return events.stream().filter(event -> event instanceof BundlerEvent.Log log
        && log.level() == BundlerEvent.Level.WARN).map(event -> ((BundlerEvent.Log) event).message())
        .toList();
  }
}
