package dev.bundler.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lockfile is untrusted input: every field is checked before anything it names is used. */
class LockfileTest {
  @TempDir Path temp;

  private static final String SHA = "a".repeat(64);

  private static Lockfile.DebianPackage deb(String name, String version, String path,
      String sha256, long size) {
    return new Lockfile.DebianPackage(name, version, "amd64", "http://mirror.invalid/debian/",
        "bookworm", path, sha256, size, "system", "required", "libs", "same", false, name);
  }

  private Path write(List<Lockfile.DebianPackage> debs, List<Lockfile.Wheel> wheels)
      throws Exception {
    Path file = temp.resolve("bundler.lock.json");
    new Lockfile(Lockfile.FORMAT, new Lockfile.Inputs("demo==1.0", "3.11", "amd64", "bookworm",
        List.of("main"), List.of(), true), debs, wheels).write(file);
    return file;
  }

  @Test
  void aWellFormedLockIsRead() throws Exception {
    Path file = write(List.of(deb("libc6", "2.36-9+deb12u4", "pool/main/g/glibc/libc6_2.36_amd64.deb",
        SHA, 10)), List.of(new Lockfile.Wheel("Django", "3.2.25", "Django-3.2.25-py3-none-any.whl", SHA)));
    assertThat(Lockfile.read(file).debian()).hasSize(1);
  }

  @Test
  void eachBadFieldIsNamedWithTheFile() throws Exception {
    String good = "pool/main/x/x.deb";
    Map<String, Lockfile.DebianPackage> bad = Map.of(
        "(xy).sha256 is '../../../x.deb'", deb("xy", "1.0", good, "../../../x.deb", 10),
        "(xy).sha256 is '" + SHA.toUpperCase() + "'", deb("xy", "1.0", good, SHA.toUpperCase(), 10),
        "(xy).path is '../../etc/shadow.deb'", deb("xy", "1.0", "../../etc/shadow.deb", SHA, 10),
        "(xy).path is '/pool/main/x.deb'", deb("xy", "1.0", "/pool/main/x.deb", SHA, 10),
        "(xy).path is 'pool/../../x.deb'", deb("xy", "1.0", "pool/../../x.deb", SHA, 10),
        "(xy).size is '0'", deb("xy", "1.0", good, SHA, 0),
        "(xy).version is 'one'", deb("xy", "one", good, SHA, 10),
        "(X Y).name is 'X Y'", deb("X Y", "1.0", good, SHA, 10));
    for (Map.Entry<String, Lockfile.DebianPackage> entry : bad.entrySet()) {
      Path file = write(List.of(entry.getValue()), List.of());
      assertThatThrownBy(() -> Lockfile.read(file))
          .as(entry.getKey())
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.LOCK_FILE))
          .hasMessageContaining(file.toString())
          .hasMessageContaining("debian[0] " + entry.getKey());
    }
    Path credentials = temp.resolve("credentials.json");
    Files.writeString(credentials, Files.readString(write(List.of(deb("xy", "1.0", good, SHA, 10)),
        List.of())).replace("http://mirror.invalid", "http://user:pw@mirror.invalid"));
    assertThatThrownBy(() -> Lockfile.read(credentials)).hasMessageContaining(".repository is");

    Path wheel = write(List.of(), List.of(new Lockfile.Wheel("demo", "1.0", "../demo-1.0-py3-none-any.whl", SHA)));
    assertThatThrownBy(() -> Lockfile.read(wheel)).hasMessageContaining("wheels[0] (demo).file is");
    Path twice = write(List.of(deb("xy", "1.0", good, SHA, 10), deb("xy", "1.0", good, SHA, 10)), List.of());
    assertThatThrownBy(() -> Lockfile.read(twice)).hasMessageContaining("debian[1].name is 'xy', not listed once");
  }
}
