package dev.bundler.compile;

import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.events.EventHandler;
import dev.bundler.io.AtomicFiles;
import dev.bundler.io.CacheSeal;
import dev.bundler.io.KeyLocks;
import dev.bundler.layer.LayerEntry;
import dev.bundler.layer.LayerWriter;
import dev.bundler.layer.RootDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The root file systems containers of the compile stage run on, made once per package set and
 * kept: for podman an unpacked directory under the cache ({@code roots/KEY/tree}), checked
 * before each use against its sealed digest (of every file's content), or, while nothing in it
 * changed since that check (the sealed digest of every file's inode and change time), against
 * that; for the docker CLI an image imported into the engine
 * from an uncompressed tar. Neither is ever compressed: it never leaves this machine.
 */
public final class ContainerRoots {
  private final Path directory;
  private final Path scratch;
  private final CacheSeal seal;
  private final EventHandler events;

  /** Roots kept under {@code directory}; temporary files under {@code scratch}. */
  public ContainerRoots(Path directory, Path scratch, CacheSeal seal, EventHandler events) {
    this.directory = directory;
    this.scratch = scratch;
    this.seal = seal;
    this.events = events;
  }

  /** The layers of a root file system, produced only when it must be made. */
  @FunctionalInterface
  public interface Source {
    List<? extends Collection<LayerEntry>> layers() throws BundlerException, IOException;
  }

  /**
   * The root identified by {@code key} ({@code description} names it in the log), in the form
   * {@code runtime} runs, made from {@code source} if missing or damaged.
   */
  public ContainerRoot root(ContainerRuntime runtime, String key, String description, Source source)
      throws BundlerException, IOException {
    return runtime.kind() == ContainerRuntime.Kind.PODMAN
        ? new ContainerRoot.Directory(tree(key, description, source))
        : new ContainerRoot.Image(imported(runtime, key, description, source));
  }

  /**
   * The root identified by {@code key} as an unpacked directory, made from {@code source} if
   * missing or damaged, whatever the runtime: the directory podman runs on, and the one whose
   * interpreter compiles bytecode here ({@link Bytecode#compileHere}).
   */
  public Path tree(String key, String description, Source source)
      throws BundlerException, IOException {
    Path home = directory.resolve(key);
    Path tree = home.resolve("tree");
    Path record = home.resolve("tree.digest");
    Path stamps = home.resolve("tree.stamps");
    return new KeyLocks(directory.resolve("locks")).with(key, () -> {
      if (checkedLocked(key, description) != null) {
        return tree;
      }
      if (Files.isDirectory(tree)) {
        events.warn("The cached root file system " + tree + " does not match its recorded "
            + "digest: it was changed outside bundler. It is made again");
      }
      AtomicFiles.deleteRecursively(home);
      long start = System.nanoTime();
      Files.createDirectories(scratch);
      Path partial = Files.createTempDirectory(scratch, "root-");
      try {
        RootDirectory.write(source.layers(), partial.resolve("tree"));
        String digest = RootDirectory.digest(partial.resolve("tree"));
        Files.createDirectories(home);
        Files.move(partial.resolve("tree"), tree, StandardCopyOption.ATOMIC_MOVE);
        seal.write(record, digest.getBytes(StandardCharsets.US_ASCII));
        seal.write(stamps, RootDirectory.stamps(tree).getBytes(StandardCharsets.US_ASCII));
      } finally {
        AtomicFiles.deleteRecursively(partial);
      }
      events.info(String.format("Laid out the root file system of the %s in %.1f s", description,
          (System.nanoTime() - start) / 1e9));
      return tree;
    });
  }

  /** Whether root {@code key} is laid out (not whether it is whole: {@link #tree} checks that). */
  public boolean laidOut(String key) {
    return Files.isDirectory(directory.resolve(key).resolve("tree"));
  }

  /**
   * Root {@code key}'s directory if it is laid out and whole (its stamps, else its digest, as
   * sealed), else {@code null}; never lays it out.
   */
  public Path checked(String key, String description) throws IOException {
    return new KeyLocks(directory.resolve("locks")).with(key, () -> checkedLocked(key, description));
  }

  private Path checkedLocked(String key, String description) throws IOException {
    Path home = directory.resolve(key);
    Path tree = home.resolve("tree");
    Path stamps = home.resolve("tree.stamps");
    byte[] recorded = seal.read(home.resolve("tree.digest"));
    if (recorded == null || !Files.isDirectory(tree)) {
      return null;
    }
    long start = System.nanoTime();
    byte[] recordedStamps = seal.read(stamps);
    String now = RootDirectory.stamps(tree);
    if (recordedStamps != null && now.equals(new String(recordedStamps, StandardCharsets.US_ASCII))) {
      events.debug(String.format("Root file system of the %s untouched since it was checked "
          + "(%.2f s)", description, (System.nanoTime() - start) / 1e9));
      return tree;
    }
    String actual = RootDirectory.digest(tree);
    if (!actual.equals(new String(recorded, StandardCharsets.US_ASCII))) {
      return null;
    }
    seal.write(stamps, now.getBytes(StandardCharsets.US_ASCII)); // reading changed no stamp
    events.debug(String.format("Root file system of the %s checked in %.1f s", description,
        (System.nanoTime() - start) / 1e9));
    return tree;
  }

  private String imported(ContainerRuntime runtime, String key, String description, Source source)
      throws BundlerException, IOException {
    String reference = "bundler-root:" + key.substring(0, 32);
    if (exec(runtime, List.of("image", "inspect", "--format", "{{.Id}}", reference), null) == 0) {
      return reference;
    }
    events.info("Importing the root file system of the " + description + " into docker");
    Collection<LayerEntry> entries = RootDirectory.overlay(source.layers());
    int exit = exec(runtime, List.of("import", "-", reference), out ->
        LayerWriter.create().writeTar(entries, out));
    if (exit != 0) {
      throw new EnvironmentException(runtime.executable() + " import failed (exit " + exit
          + "). Is the Docker engine running and reachable (DOCKER_HOST)?");
    }
    return reference;
  }

  /** Writes a process's standard input. */
  private interface Input {
    void write(OutputStream out) throws IOException;
  }

  private int exec(ContainerRuntime runtime, List<String> arguments, Input input)
      throws EnvironmentException {
    try {
      Process process = new ProcessBuilder(runtime.command(arguments))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) {
          input.write(stdin);
        }
      }
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new EnvironmentException(String.join(" ", runtime.command(arguments))
            + " did not finish in 30 minutes");
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new EnvironmentException("Cannot run " + runtime.executable() + ": " + e.getMessage()
          + ". " + ContainerRuntime.INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while running " + runtime.executable(), e);
    }
  }
}
