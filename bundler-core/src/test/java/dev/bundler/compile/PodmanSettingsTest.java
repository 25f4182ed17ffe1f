package dev.bundler.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman's run root stays within the length podman 4 accepts, and one kept outside the cache is
 * private to this user.
 */
class PodmanSettingsTest {
  @TempDir Path temp;

  @Test
  void aShortCacheKeepsItsRunRootInside() throws Exception {
    Path cache = Path.of("/tmp", "b" + ProcessHandle.current().pid());
    assertThat(PodmanSettings.runRoot(cache, Map.of())).isEqualTo(cache.resolve("run"));
  }

  @Test
  void aLongCacheGetsAShortPrivateRunRootNamedAfterIt() throws Exception {
    Path deep = temp.resolve("a-workspace-of-a-ci-runner/project/target/bundler/cache/podman");
    Path runRoot = PodmanSettings.runRoot(deep, Map.of());
    try {
      assertThat(runRoot.toString()).hasSizeLessThanOrEqualTo(PodmanSettings.RUN_ROOT_LIMIT);
      assertThat(runRoot).startsWith(Path.of("/tmp")).isDirectory();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runRoot)))
          .isEqualTo("rwx------");
      assertThat(PodmanSettings.runRoot(deep, Map.of())).isEqualTo(runRoot);
      assertThat(PodmanSettings.runRoot(deep.resolve("other"), Map.of())).isNotEqualTo(runRoot);

      Files.setPosixFilePermissions(runRoot, PosixFilePermissions.fromString("rwxrwxrwx"));
      assertThatThrownBy(() -> PodmanSettings.runRoot(deep, Map.of()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(runRoot.toString())
          .hasMessageContaining(dev.bundler.Parameter.CACHE_DIRECTORY.toString());
    } finally {
      Files.deleteIfExists(runRoot);
    }
  }

  @Test
  void aRunRootPreparedAsALinkIsRefused() throws Exception {
    Path deep = temp.resolve("another-workspace-of-a-ci-runner/project/target/bundler/cache");
    Path runRoot = PodmanSettings.runRoot(deep, Map.of());
    Files.delete(runRoot);
    Files.createSymbolicLink(runRoot, temp);
    try {
      assertThatThrownBy(() -> PodmanSettings.runRoot(deep, Map.of()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not a private directory");
    } finally {
      Files.deleteIfExists(runRoot);
    }
  }

  @Test
  void theUsersRuntimeDirectoryIsPreferredWhenShortEnough() throws Exception {
    Path runtime = Files.createDirectory(Path.of("/tmp", "x" + ProcessHandle.current().pid()));
    try {
      Path deep = temp.resolve("a-workspace-of-a-ci-runner/project/target/bundler/cache");
      Path runRoot = PodmanSettings.runRoot(deep, Map.of("XDG_RUNTIME_DIR", runtime.toString()));
      assertThat(runRoot.getParent()).isEqualTo(runtime);
      Files.delete(runRoot);
    } finally {
      Files.delete(runtime);
    }
  }
}
