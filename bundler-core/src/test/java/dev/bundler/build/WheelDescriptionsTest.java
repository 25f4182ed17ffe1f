package dev.bundler.build;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.CacheSeal;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.Wheel;
import dev.bundler.python.Wheelhouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wheels are chosen from what choosing them read before only when that record is sealed by this
 * cache and names the very bytes of the wheel; the choice is the one opening every wheel makes.
 */
class WheelDescriptionsTest {
  private static final PythonTarget PY311 = PythonTarget.bookworm("3.11", "amd64");

  @TempDir Path temp;

  @Test
  void aDescribedWheelIsChosenAsAnOpenedOneWithoutItsZip() throws Exception {
    Path house = temp.resolve("house");
    wheel("app", "1.0").file("app/__init__.py", "").file("app/crontab", "* * * * * true\n")
        .requires("lib>=1").writeTo(house);
    wheel("lib", "1.2").file("lib/__init__.py", "").requires("extra; python_version < '3'")
        .writeTo(house);
    WheelDescriptions descriptions = new WheelDescriptions(temp.resolve("d"),
        CacheSeal.withKey(new byte[] {1}));

    List<String> opened = choose(house, Wheel::openForChoice);
    List<String> first = choose(house, descriptions);
    assertThat(Files.list(temp.resolve("d")).count()).as("one record per wheel").isEqualTo(2);
    List<String> second = choose(house, descriptions);
    assertThat(first).isEqualTo(opened).isEqualTo(second)
        .containsExactly("app 1.0 [lib >=1]", "lib 1.2 [extra]");

    // What is chosen from is the record, not the zip: one sealed by this cache's key is believed
    // (which is why only such records are read).
    CacheSeal seal = CacheSeal.withKey(new byte[] {1});
    Path record;
    try (var records = Files.list(temp.resolve("d"))) {
      record = records.filter(p -> contains(p, "lib>=1")).findFirst().orElseThrow();
    }
    seal.write(record, new String(seal.read(record), StandardCharsets.UTF_8)
        .replace("lib>=1", "lib>=7").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> choose(house, descriptions)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no wheel of lib matching >=7");

    // A described wheel still reads its files, opening its zip then.
    Wheel app = descriptions.open(house.resolve("app-1.0-py3-none-any.whl"), PY311, Parameter.WHEELHOUSE);
    try (app) {
      assertThat(new String(app.readOrNull("app/crontab"), StandardCharsets.UTF_8))
          .isEqualTo("* * * * * true\n");
    }
  }

  @Test
  void aRecordOfOtherBytesOrOfAnotherKeyIsNotUsed() throws Exception {
    Path house = temp.resolve("house");
    Path file = wheel("app", "1.0").file("app/__init__.py", "").requires("lib>=1").writeTo(house);
    new WheelDescriptions(temp.resolve("d"), CacheSeal.withKey(new byte[] {1}))
        .open(file, PY311, Parameter.WHEELHOUSE).close();

    // Another cache key: the record is not this cache's, the wheel is opened.
    WheelDescriptions other = new WheelDescriptions(temp.resolve("d"), CacheSeal.withKey(new byte[] {2}));
    try (Wheel wheel = other.open(file, PY311, Parameter.WHEELHOUSE)) {
      assertThat(wheel.requirements()).hasToString("[lib >=1]");
    }

    // The same name, other bytes: described anew from the zip, not from the old record.
    Files.delete(file);
    wheel("app", "1.0").file("app/__init__.py", "").requires("lib>=2").writeTo(house);
    WheelDescriptions same = new WheelDescriptions(temp.resolve("d"), CacheSeal.withKey(new byte[] {1}));
    try (Wheel wheel = same.open(file, PY311, Parameter.WHEELHOUSE)) {
      assertThat(wheel.requirements()).hasToString("[lib >=2]");
    }

    // A record forged under the new wheel's hash, without the cache's seal, is a miss.
    Path record;
    try (var records = Files.list(temp.resolve("d"))) {
      record = records.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> contains(p, "lib>=2")).findFirst().orElseThrow();
    }
    Files.writeString(record, Files.readString(record).replace("lib>=2", "lib>=9"));
    try (Wheel wheel = same.open(file, PY311, Parameter.WHEELHOUSE)) {
      assertThat(wheel.requirements()).hasToString("[lib >=2]");
    }
  }

  @Test
  void aDescribedWheelIsCheckedAgainstItsNameAndTarget() throws Exception {
    Path house = temp.resolve("house");
    Path file = wheel("app", "1.0").file("app/__init__.py", "").writeTo(house);
    Wheel.Description description;
    try (Wheel wheel = Wheel.openForChoice(file, PY311, Parameter.WHEELHOUSE)) {
      description = wheel.description();
    }
    Path renamed = Files.copy(file, house.resolve("other-1.0-py3-none-any.whl"));
    assertThatThrownBy(() -> Wheel.described(renamed, PY311, Parameter.WHEELHOUSE, description, "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("other-1.0-py3-none-any.whl");
    Path foreign = Files.copy(file, house.resolve("app-1.0-cp27-cp27m-win32.whl"));
    assertThatThrownBy(() -> Wheel.described(foreign, PY311, Parameter.WHEELHOUSE, description, "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not run on");
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.readString(file).contains(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The wheels chosen for {@code app} from {@code house}, as "name version [requirements]". */
  private static List<String> choose(Path house, Wheelhouse.Opener opener) throws Exception {
    List<String> chosen = new ArrayList<>();
    for (Wheel wheel : Wheelhouse.scan(house, PY311).openingWith(opener)
        .select("app", null, Set.of(), null)) {
      try (wheel) {
        chosen.add(wheel.name() + " " + wheel.version() + " " + wheel.requirements());
      }
    }
    return chosen;
  }
}
