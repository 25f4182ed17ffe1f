package dev.bundler.io;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for work done on bundler's worker threads, rethrowing its failure as it was thrown. */
public final class Futures {
  private Futures() {}

  /**
   * The result of {@code future}; a {@link BundlerException}, {@link IOException}, runtime
   * exception or error of the task is rethrown unwrapped.
   */
  public static <T> T get(Future<T> future) throws BundlerException, IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while waiting for bundler's workers", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BundlerException bundler) {
        throw bundler;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
