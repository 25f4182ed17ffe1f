package dev.bundler.python;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.layer.LayerEntry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelInstallerTest {
  private static final PythonTarget PY311 = PythonTarget.bookworm("3.11", "amd64");
  private static final VenvLayout VENV = VenvLayout.debian("/home/app/app", PY311, 0, 0);

  @TempDir Path temp;

  private Wheel open(Path file) throws Exception {
    return Wheel.open(file, PY311, Parameter.WHEELHOUSE);
  }

  private void refused(dev.bundler.testkit.WheelBuilder builder, String... messages) throws Exception {
    refused(builder.writeTo(temp), messages);
  }

  @Test
  void refusesUnsafePaths() throws Exception {
    refused(wheel("evil", "1.0").file("../escaped.py", "x"), "'../escaped.py'", "outside the virtualenv");
    refused(wheel("evil2", "1.0").file("pkg/../../x.py", "x"), "outside the virtualenv");
    refused(wheel("evil3", "1.0").file("/etc/passwd", "x"), "not a safe relative path");
    refused(wheel("evil4", "1.0").file("pkg\\..\\x.py", "x"), "is refused");
    refused(wheel("evil5", "1.0").symlink("pkg/link", "/etc/shadow"), "symbolic link");
  }

  @Test
  void refusesRecordMismatches() throws Exception {
    refused(wheel("tampered", "1.0").file("t/core.py", "code").badHash("t/core.py"),
        "'t/core.py'", "does not match its RECORD hash");
    refused(wheel("unlisted", "1.0").file("u/x.py", "x").unrecorded("u/x.py"), "not listed in RECORD");
    refused(wheel("ghost", "1.0").file("g/x.py", "x").recordsMissing("g/missing.py"),
        "listed in RECORD but missing");
    refused(wheel("liar", "1.0").metadataName("other"), "says it is other 1.0");
  }

  @Test
  void refusesScriptNamesThatAreNoPlainFileNameAndEntryPointsPipRefuses() throws Exception {
    String[][] cases = {
        {"../evil = e:main", "'../evil'", "not a plain file name"},
        {"sub/evil = e:main", "'sub/evil'", "not a plain file name"},
        {".. = e:main", "'..'", "not a plain file name"},
        {"my tool = e:main", "white space"},
        {"= e:main", "is empty"},
        {"tool = e", "not 'module:function'"},
        {"tool = e:a:b", "not 'module:function'"},
        {"tool = e:main()", "not 'module:function'"},
        {"tool = e-x:main", "not 'module:function'"},
        {"tool = 1e:main", "not 'module:function'"},
        {"tool = e:class", "the Python keyword 'class'"},
        {"tool", "is not 'name = module:function'"},
    };
    int i = 0;
    for (String[] c : cases) {
      String[] messages = java.util.Arrays.copyOfRange(c, 1, c.length);
      String[] all = java.util.Arrays.copyOf(messages, messages.length + 1);
      all[messages.length] = "entry_points.txt";
      refused(wheel("ep" + i++, "1.0").file("e/__init__.py", "")
          .entryPoints("[console_scripts]\n" + c[0] + "\n"), all);
    }
    // Other groups are not scripts; pip's accepted forms stay accepted.
    Path fine = wheel("fine", "1.0").file("e/__init__.py", "").entryPoints(
        "[distutils.commands]\nwhatever = anything goes\n[console_scripts]\n"
            + "a-b.c = e.cli:Main.run [extra1, extra2]\nd = e:main\n").writeTo(temp);
    try (Wheel wheel = open(fine)) {
      assertThat(new WheelInstaller(VENV).install(wheel, false).entries())
          .extracting(LayerEntry::path)
          .contains("home/app/app/bin/a-b.c", "home/app/app/bin/d");
    }
  }

  @Test
  void aDamagedZipOrADirectoryNamedLikeAWheelIsTheUsersToFix() throws Exception {
    Path good = wheel("zipped", "1.0").file("z/__init__.py", "x = 1\n").writeTo(temp.resolve("good"));
    byte[] bytes = java.nio.file.Files.readAllBytes(good);
    int directory = lastIndexOf(bytes, new byte[] {0x50, 0x4b, 0x01, 0x02});
    byte[] damaged = bytes.clone();
    for (int k = directory + 10; k < directory + 30; k++) {
      damaged[k] = (byte) 0xff; // the first central directory entry: method, sizes, offsets
    }
    java.nio.file.Files.write(temp.resolve(good.getFileName()), damaged);
    refused(temp.resolve(good.getFileName()), "cannot be read as a zip file", "rebuild or re-download");

    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 30);
    java.nio.file.Files.write(temp.resolve(good.getFileName()), truncated);
    refused(temp.resolve(good.getFileName()), "cannot be read as a zip file");

    Path folder = java.nio.file.Files.createDirectories(temp.resolve("dir-1.0-py3-none-any.whl"));
    refused(folder, "is a directory", "remove or rename it");
    assertThatThrownBy(() -> Wheelhouse.scan(temp, PY311))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.WHEELHOUSE))
        .hasMessageContaining("dir-1.0-py3-none-any.whl, which is a directory");
  }

  private void refused(Path file, String... messages) {
    var thrown = assertThatThrownBy(() -> open(file).close())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains(Parameter.WHEELHOUSE))
        .hasMessageContaining(file.getFileName().toString());
    for (String message : messages) {
      thrown.hasMessageContaining(message);
    }
  }

  private static int lastIndexOf(byte[] bytes, byte[] pattern) {
    for (int i = bytes.length - pattern.length; i >= 0; i--) {
      if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
        return i;
      }
    }
    throw new AssertionError("no central directory");
  }

  @Test
  void refusesWheelsForOtherPythons() throws Exception {
    Path file = wheel("fast", "1.0").tag("cp312-cp312-manylinux_2_17_x86_64").writeTo(temp);
    assertThatThrownBy(() -> open(file))
        .hasMessageContaining("fast-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
        .hasMessageContaining("cp312-cp312-manylinux_2_17_x86_64")
        .hasMessageContaining("CPython 3.11")
        .hasMessageContaining(Parameter.PYTHON.toString());
  }

  @Test
  void installsIntoTheVirtualenvWithRecordAndLaunchers() throws Exception {
    Path file = wheel("demo", "2.0")
        .file("demo/__init__.py", "def main(): pass\n")
        .file("demo-2.0.data/scripts/tool", "#!pythonw -u\nprint(1)\n", 0755)
        .entryPoints("[console_scripts]\ndemo = demo:main\n")
        .writeTo(temp);
    try (Wheel wheel = open(file)) {
      InstalledDistribution installed = new WheelInstaller(VENV).install(wheel, true);
      Map<String, LayerEntry> entries = installed.entries().stream()
          .collect(Collectors.toMap(LayerEntry::path, Function.identity()));
      String site = "home/app/app/lib/python3.11/site-packages/";
      assertThat(entries).containsKeys(site + "demo/__init__.py", site + "demo-2.0.dist-info/INSTALLER",
          site + "demo-2.0.dist-info/REQUESTED", "home/app/app/bin/demo", "home/app/app/bin/tool");
      assertThat(text(entries.get("home/app/app/bin/tool"))).isEqualTo("#!/home/app/app/bin/python3\nprint(1)\n");
      assertThat(entries.get("home/app/app/bin/demo").mode()).isEqualTo(0755);
      assertThat(text(entries.get("home/app/app/bin/demo"))).contains("from demo import main");
      String record = text(entries.get(site + "demo-2.0.dist-info/RECORD"));
      assertThat(record).contains("../../../bin/demo,sha256=", "../../../bin/tool,sha256=",
          "demo-2.0.dist-info/RECORD,,", "demo-2.0.dist-info/INSTALLER,sha256=");
      assertThat(entries.get(site + "demo").type()).isEqualTo(LayerEntry.Type.DIRECTORY);
    }
  }

  @Test
  void twoWheelsWritingOnePathAreRefused() throws Exception {
    Path a = wheel("one", "1.0").file("shared/x.py", "a").writeTo(temp);
    Path b = wheel("two", "1.0").file("shared/x.py", "b").writeTo(temp);
    try (Wheel first = open(a); Wheel second = open(b)) {
      assertThatThrownBy(() -> new WheelInstaller(VENV).installAll(List.of(first, second), Set.of()))
          .hasMessageContaining("both install /home/app/app/lib/python3.11/site-packages/shared/x.py")
          .hasMessageContaining("one-1.0-py3-none-any.whl")
          .hasMessageContaining("two-1.0-py3-none-any.whl");
    }
  }

  private static String text(LayerEntry entry) throws Exception {
    try (InputStream in = entry.content().open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
