package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.EnvironmentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator of a foreign architecture is the host's {@code qemu-ARCH-static}, found on the
 * PATH (or named as missing, with its package), mounted into the container and given the
 * program by its absolute path.
 */
class EmulationTest {
  @TempDir Path temp;

  @Test
  void theEmulatorIsFoundOnThePathMountedAndRunsTheProgram() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path qemu = Files.writeString(bin.resolve("qemu-aarch64-static"), "");
    Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
    Emulation emulation = Emulation.find("arm64",
        Map.of("PATH", temp.resolve("empty") + ":" + bin));
    assertThat(emulation.binary()).isEqualTo(qemu);
    assertThat(emulation.mount()).isEqualTo(new ContainerRun.Mount(qemu, Emulation.MOUNT_POINT, true));
    assertThat(emulation.wrap(List.of("/usr/bin/python3.11", "-c", "pass")))
        .containsExactly(Emulation.MOUNT_POINT, "/usr/bin/python3.11", "-c", "pass");
    assertThatThrownBy(() -> emulation.wrap(List.of("python3.11")))
        .as("qemu does not search the PATH").hasMessageContaining("absolute path");
  }

  @Test
  void aMissingEmulatorIsNamedWithItsPackage() {
    assertThatThrownBy(() -> Emulation.find("arm64", Map.of("PATH", temp.toString())))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("no qemu-aarch64-static on the PATH")
        .hasMessageContaining("apt-get install qemu-user-static");
    assertThatThrownBy(() -> Emulation.find("amd64", Map.of()))
        .hasMessageContaining("no qemu-x86_64-static on the PATH");
  }

  @Test
  void theMachinesArchitectureIsNamedAsDebianNamesIt() {
    assertThat(Emulation.machineArchitecture()).isIn("amd64", "arm64");
    assertThat(Emulation.isNative(Emulation.machineArchitecture())).isTrue();
    assertThat(Emulation.isNative(Emulation.machineArchitecture().equals("amd64") ? "arm64" : "amd64"))
        .isFalse();
  }
}
