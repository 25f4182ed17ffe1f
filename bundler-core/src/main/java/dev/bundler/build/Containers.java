package dev.bundler.build;

import dev.bundler.BundleRequest;
import dev.bundler.BundlerException;
import dev.bundler.CompileSettings;
import dev.bundler.compile.ContainerRoot;
import dev.bundler.compile.ContainerRoots;
import dev.bundler.compile.ContainerRunner;
import dev.bundler.compile.ContainerRuntime;
import dev.bundler.events.EventHandler;
import dev.bundler.io.CacheSeal;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The container runtime of a build, found only when a container must run (a cached wheelhouse
 * and cached bytecode need none), and the root file systems its containers run on.
 */
final class Containers {
  private final BundleRequest request;
  private final Path scratch;
  private final EventHandler events;
  private final ContainerRoots roots;
  private ContainerRunner runner;
  private final java.util.Map<String, java.util.concurrent.Future<Path>> checking =
      new java.util.HashMap<>();

  Containers(BundleRequest request, Path scratch, CacheSeal seal, EventHandler events) {
    this.request = request;
    this.scratch = scratch;
    this.events = events;
    this.roots = new ContainerRoots(request.cacheDirectory().resolve("roots"), scratch, seal, events);
  }

  /**
   * The runner of the configured (or found) runtime.
   *
   * @throws dev.bundler.EnvironmentException if no runtime is installed
   * @throws dev.bundler.InvalidInputException if {@code bundler.containerRuntime} is unusable
   */
  synchronized ContainerRunner runner() throws BundlerException, IOException {
    if (runner == null) {
      CompileSettings settings = request.compile();
      ContainerRuntime runtime = ContainerRuntime.find(settings.containerRuntime(), System.getenv());
      runner = ContainerRunner.create(runtime, request.cacheDirectory().resolve("podman"),
          scratch.resolve("containers"), settings.containerArgs(), events);
    }
    return runner;
  }

  /** The root file system {@code key} as a directory, made from {@code source} the first time. */
  Path tree(String key, String description, ContainerRoots.Source source)
      throws BundlerException, IOException {
    Path checked = earlyCheck(key, description);
    return checked != null ? checked : roots.tree(key, description, source);
  }

  /**
   * What the background check of root {@code key} found, waiting for it: its directory when it
   * is whole; {@code null} when it is not, or no check was started, or the check failed reading
   * (the caller checks again, where a failure is its own thread's).
   */
  private Path earlyCheck(String key, String description) throws IOException {
    java.util.concurrent.Future<Path> early;
    synchronized (this) {
      early = checking.remove(key);
    }
    if (early == null) {
      return null;
    }
    try {
      return early.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof IOException)) {
        throw new IllegalStateException(e.getCause());
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while checking " + description);
    }
  }

  /** Whether root {@code key} is laid out (whole or not). */
  boolean laidOut(String key) {
    return roots.laidOut(key);
  }

  /** Root {@code key}'s directory if it is laid out and whole, else {@code null}; never lays it out. */
  Path checked(String key, String description) throws IOException {
    Path checked = earlyCheck(key, description);
    return checked != null ? checked : roots.checked(key, description);
  }

  /**
   * Starts checking the root file system {@code key} in the background, if it is laid out
   * already: a build whose new wheel needs bytecode finds it checked (the stamps of some 5,000
   * files, 0.15 s; the compiler's, 20,000 files, 0.25 s) while it chose its wheels. The check
   * only reads: a root found damaged or missing is checked again, or laid out by {@link #tree},
   * in the build's thread.
   */
  synchronized void checkEarly(String key, String description) {
    if (checking.containsKey(key) || !roots.laidOut(key)) {
      return;
    }
    java.util.concurrent.FutureTask<Path> task = new java.util.concurrent.FutureTask<>(
        () -> roots.checked(key, description));
    Thread thread = new Thread(task, "bundler-root-check");
    thread.setDaemon(true);
    thread.start();
    checking.put(key, task);
  }

  /** The root file system {@code key}, made from {@code source} the first time. */
  ContainerRoot root(String key, String description, ContainerRoots.Source source)
      throws BundlerException, IOException {
    return roots.root(runner().runtime(), key, description, source);
  }
}
