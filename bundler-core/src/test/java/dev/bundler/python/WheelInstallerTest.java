package dev.bundler.python;

import static dev.bundler.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
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
    return Wheel.open(file, PY311, "bundler.wheelhouse");
  }

  private void refused(dev.bundler.testkit.WheelBuilder builder, String... messages) throws Exception {
    Path file = builder.writeTo(temp);
    var thrown = assertThatThrownBy(() -> open(file).close())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).contains("bundler.wheelhouse"))
        .hasMessageContaining(file.getFileName().toString());
    for (String message : messages) {
      thrown.hasMessageContaining(message);
    }
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
  void refusesWheelsForOtherPythons() throws Exception {
    Path file = wheel("fast", "1.0").tag("cp312-cp312-manylinux_2_17_x86_64").writeTo(temp);
    assertThatThrownBy(() -> open(file))
        .hasMessageContaining("fast-1.0-cp312-cp312-manylinux_2_17_x86_64.whl")
        .hasMessageContaining("cp312-cp312-manylinux_2_17_x86_64")
        .hasMessageContaining("CPython 3.11")
        .hasMessageContaining("-Dbundler.python");
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
