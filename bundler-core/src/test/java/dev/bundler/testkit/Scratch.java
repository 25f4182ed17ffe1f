package dev.bundler.testkit;

import dev.bundler.io.AtomicFiles;
import java.nio.file.Path;

/**
 * The disk an integration test gives back. An image build's cache holds a compiler's unpacked root
 * (about 480 MB), the Debian packages and the layers: kept after every test class, they summed to
 * 9 GB in one run of the suite, more than a CI machine may have free. So a test class discards its
 * caches and work directories when it is done, unless {@code BUNDLER_KEEP_TEST_CACHES} is set in
 * the environment (to look at them, or to rerun a test without downloading again).
 */
public final class Scratch {
  /** The environment variable that keeps test caches: any non-empty value. */
  public static final String KEEP = "BUNDLER_KEEP_TEST_CACHES";

  private Scratch() {}

  /** Deletes each directory and what it holds, unless {@link #KEEP} is set. */
  public static void discard(Path... directories) {
    if (keep()) {
      return;
    }
    for (Path directory : directories) {
      AtomicFiles.deleteRecursively(directory);
    }
  }

  /** Whether test caches are kept ({@link #KEEP}). */
  public static boolean keep() {
    String keep = System.getenv(KEEP);
    return keep != null && !keep.isEmpty();
  }
}
