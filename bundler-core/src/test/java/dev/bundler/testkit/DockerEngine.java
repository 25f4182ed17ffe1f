package dev.bundler.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine started for a test ({@code dockerd} on its own socket, data and exec roots, no
 * iptables, no bridge), and a {@code docker} wrapper script pointing the CLI at it: what a user
 * would give as {@code bundler.containerRuntime}.
 */
public final class DockerEngine implements AutoCloseable {
  private final Process process;
  private final Path cli;

  private DockerEngine(Process process, Path cli) {
    this.process = process;
    this.cli = cli;
  }

  public static DockerEngine start(Path directory) throws IOException, InterruptedException {
    Tools.require("dockerd", "docker.io");
    Tools.require("docker", "docker.io");
    Files.createDirectories(directory);
    Path socket = directory.resolve("docker.sock");
    Process process = new ProcessBuilder("dockerd", "-H", "unix://" + socket,
        "--data-root", directory.resolve("data").toString(),
        "--exec-root", directory.resolve("exec").toString(),
        "--pidfile", directory.resolve("docker.pid").toString(),
        "--iptables=false", "--bridge=none")
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("dockerd.log").toFile())
        .start();
    Path cli = directory.resolve("bin").resolve("docker");
    Files.createDirectories(cli.getParent());
    Files.writeString(cli, "#!/bin/sh\nexec docker -H unix://" + socket + " \"$@\"\n");
    cli.toFile().setExecutable(true);
    DockerEngine engine = new DockerEngine(process, cli);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Tools.run(List.of(cli.toString(), "version"), null).exitCode() != 0) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        engine.close();
        throw new AssertionError("dockerd did not start:\n" + Files.readString(directory.resolve("dockerd.log")));
      }
      Thread.sleep(200);
    }
    return engine;
  }

  /** The {@code docker} CLI bound to this engine. */
  public Path cli() {
    return cli;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
