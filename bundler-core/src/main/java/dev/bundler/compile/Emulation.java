package dev.bundler.compile;

import dev.bundler.EnvironmentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A container of another CPU architecture on a machine whose kernel runs no foreign programs by
 * itself (no emulator registered with {@code binfmt_misc}, as on these build machines): the
 * container's command is the host's statically linked QEMU user-mode emulator, mounted into the
 * root file system, which runs the image's own program.
 *
 * <p>What runs is the image's program itself, emulated instruction by instruction, so its output
 * is the program's own. The emulator follows {@code fork}, not {@code exec}: a program the
 * emulated one executes is handed to the kernel, which refuses it. That suffices for bundler's
 * bytecode driver (one interpreter and its forked workers) but not for {@code pip wheel}, whose
 * build backends run as new processes.
 *
 * <p>bundler compiles a foreign image's bytecode this way rather than with the host's build of
 * the same Python (whose bytes would match on two 64-bit little-endian machines): that one would
 * have to be resolved, downloaded and locked besides the image's packages, and would match only
 * while both are builds of one source.
 *
 * @param architecture the Debian architecture emulated ({@code arm64})
 * @param binary the emulator on this machine ({@code /usr/bin/qemu-aarch64-static})
 */
public record Emulation(String architecture, Path binary) {
  /** Where the emulator is mounted in the container. */
  static final String MOUNT_POINT = "/.bundler-emulator/qemu";

  public Emulation {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(binary, "binary");
  }

  /** This machine's Debian architecture ({@code amd64}, {@code arm64}), from the JVM's. */
  public static String machineArchitecture() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  /** Whether programs of {@code architecture} run natively on this machine. */
  public static boolean isNative(String architecture) {
    return architecture.equals(machineArchitecture());
  }

  /**
   * The emulator of {@code architecture} on the PATH of {@code environment}.
   *
   * @throws EnvironmentException naming the emulator and its Debian package when it is missing
   */
  public static Emulation find(String architecture, Map<String, String> environment)
      throws EnvironmentException {
    String name = "qemu-" + qemuName(architecture) + "-static";
    Path found = ContainerRuntime.onPath(name, environment.getOrDefault("PATH", ""));
    if (found == null) {
      throw new EnvironmentException("no " + name + " on the PATH to run the image's "
          + architecture + " programs on this " + machineArchitecture() + " machine (install "
          + "it: apt-get install qemu-user-static)");
    }
    return new Emulation(architecture, found.toAbsolutePath());
  }

  private static String qemuName(String architecture) {
    return switch (architecture) {
      case "arm64" -> "aarch64";
      case "amd64" -> "x86_64";
      default -> throw new IllegalArgumentException("unsupported architecture " + architecture);
    };
  }

  /** The emulator, mounted read-only at {@link #MOUNT_POINT}. */
  ContainerRun.Mount mount() {
    return new ContainerRun.Mount(binary, MOUNT_POINT, true);
  }

  /** {@code command} run by the emulator, which takes its program by path (no PATH search). */
  List<String> wrap(List<String> command) {
    if (!command.get(0).startsWith("/")) {
      throw new IllegalArgumentException("an emulated program is named by its absolute path, not "
          + command.get(0));
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(MOUNT_POINT);
    wrapped.addAll(command);
    return wrapped;
  }
}
