package dev.bundler.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.Parameter;
import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.Corpus;
import dev.bundler.testkit.LayerEntries;
import dev.bundler.testkit.Tools;
import dev.bundler.testkit.WheelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installer lays out the same virtualenv as {@code pip install --no-index --no-deps} in a
 * {@code python3 -m venv}: same files, same contents, same modes, same links, same RECORD rows.
 *
 * <p>Differences allowed, each for a reason: bytecode ({@code __pycache__}, which pip compiles and
 * bundler does not), {@code REQUESTED} and {@code direct_url.json} (pip marks every wheel named on
 * its command line), {@code INSTALLER} ("pip" or "bundler"), the RECORD rows of those files, and
 * what {@code venv} itself adds besides the layout (pip, setuptools, activate scripts).
 */
class PipDifferentialIT {
  @TempDir Path temp;

  @Test
  void installsLikePip() throws Exception {
    Tools.require("python3", "python3 python3-venv python3-pip");
    Path corpus = Corpus.directory();
    Path wheels = Files.createDirectory(temp.resolve("wheels"));
    Tools.check(List.of("/usr/bin/python3", "-m", "pip", "wheel", "-q", "--no-index",
        "--find-links", corpus.toString(), "--wheel-dir", wheels.toString(), "Django==3.2.25"));
    Files.copy(corpus.resolve("whitenoise-6.0.0-py3-none-any.whl"),
        wheels.resolve("whitenoise-6.0.0-py3-none-any.whl"));
    WheelBuilder.wheel("demo-app", "1.0")
        .file("demo_app/__init__.py", "def main():\n    print('demo')\n")
        .file("demo_app/native.so", "binary", 0755)
        .file("demo_app-1.0.data/scripts/demo-script", "#!python\nprint('script')\n", 0755)
        .file("demo_app-1.0.data/scripts/plain.sh", "#!/bin/sh\necho plain\n", 0644)
        .file("demo_app-1.0.data/data/share/demo/data.txt", "data\n")
        .file("demo_app-1.0.data/headers/demo.h", "int demo;\n")
        .file("demo_app-1.0.data/purelib/demo_extra.py", "X = 1\n")
        .entryPoints("[console_scripts]\ndemo = demo_app:main\ndemo-sub = demo_app.cli:main.run [extra]\n"
            + "[gui_scripts]\ndemo-gui = demo_app:main\n[other]\nignored = x:y\n")
        .writeTo(wheels);

    Path venv = temp.resolve("venv");
    Tools.check(List.of("/usr/bin/python3", "-m", "venv", venv.toString()));
    Set<String> before = listing(venv).keySet();
    List<String> install = new ArrayList<>(List.of(venv + "/bin/pip", "install", "-q", "--no-index", "--no-deps"));
    try (Stream<Path> files = Files.list(wheels)) {
      files.sorted().forEach(f -> install.add(f.toString()));
    }
    Tools.check(install);

    String fullVersion = Tools.check(List.of("/usr/bin/python3", "-c",
        "import platform; print(platform.python_version())")).trim();
    PythonTarget target = new PythonTarget("3.11", fullVersion, "amd64", "2.36");
    VenvLayout layout = VenvLayout.debian(venv.toString(), target, 0, 0);
    List<LayerEntry> entries = new ArrayList<>(layout.skeleton());
    List<Wheel> opened = new ArrayList<>();
    try (Stream<Path> files = Files.list(wheels)) {
      for (Path file : files.sorted().toList()) {
        opened.add(Wheel.open(file, target, Parameter.WHEELHOUSE));
      }
    }
    try {
      new WheelInstaller(layout).installAll(opened, Set.of()).forEach(d -> entries.addAll(d.entries()));
      Path ours = temp.resolve("ours");
      LayerEntries.extractTo(entries, ours);
      Path ourVenv = ours.resolve(venv.toString().substring(1));

      TreeMap<String, String> pip = listing(venv);
      pip.keySet().removeIf(path -> before.contains(path) && !isLayout(path));
      TreeMap<String, String> mine = listing(ourVenv);
      assertThat(pip).hasSizeGreaterThan(2000);
      assertThat(mine.keySet()).containsExactlyElementsOf(pip.keySet());
      assertThat(mine).containsExactlyEntriesOf(pip);
      assertThat(pip).containsKeys("bin/django-admin", "bin/sqlformat", "bin/demo-script",
          "share/demo/data.txt", "include/site/python3.11/demo-app/demo.h");
      assertThat(pip.get("bin/demo-script")).startsWith("file 755");
      assertThat(pip.get("bin/plain.sh")).startsWith("file 644");
      assertThat(pip.get("lib/python3.11/site-packages/demo_app/native.so")).startsWith("file 755");
      assertThat(pip.get("bin/python3")).isEqualTo("link -> /usr/bin/python3");
      assertThat(Files.readString(ourVenv.resolve("bin/demo-script")))
          .startsWith("#!" + venv + "/bin/python3\n");

      for (String path : pip.keySet()) {
        if (path.endsWith("/RECORD")) {
          assertThat(record(ourVenv.resolve(path))).as(path).isEqualTo(record(venv.resolve(path)));
        }
      }
      String pipOutput = Tools.check(List.of(venv + "/bin/sqlformat", "--version"));
      String ourOutput = Tools.check(List.of(ourVenv + "/bin/sqlformat", "--version"));
      assertThat(ourOutput).isEqualTo(pipOutput).contains("0.4.2");
      assertThat(Tools.check(List.of(ourVenv + "/bin/django-admin", "--version")).trim()).isEqualTo("3.2.25");
    } finally {
      for (Wheel wheel : opened) {
        wheel.close();
      }
    }
  }

  /** Layout parts of the fresh venv that bundler writes too. */
  private static boolean isLayout(String path) {
    return path.equals("pyvenv.cfg") || path.equals("lib64") || path.startsWith("bin/python")
        || path.equals("bin") || path.equals("lib") || path.equals("include")
        || path.equals("include/python3.11")
        || path.equals("lib/python3.11") || path.equals("lib/python3.11/site-packages");
  }

  /** path -> a description (type, mode, content or link target), skipping allowed differences. */
  private static TreeMap<String, String> listing(Path root) throws IOException {
    TreeMap<String, String> listing = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (path.equals(root)) {
          continue;
        }
        String name = root.relativize(path).toString();
        if (name.contains("__pycache__") || name.endsWith(".pyc") || name.endsWith("/REQUESTED")
            || name.endsWith("/direct_url.json") || name.endsWith("/INSTALLER")
            || name.endsWith("/RECORD")) {
          continue;
        }
        int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        String description;
        if (Files.isSymbolicLink(path)) {
          description = "link -> " + Files.readSymbolicLink(path);
        } else if (Files.isDirectory(path)) {
          description = "dir " + Integer.toOctalString(mode);
        } else {
          description = "file " + Integer.toOctalString(mode) + " "
              + dev.bundler.layer.Digests.sha256Hex(path);
        }
        listing.put(name, description);
      }
    }
    return listing;
  }

  private static Set<String> record(Path file) throws IOException {
    Set<String> rows = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.contains("__pycache__") && !line.contains("/REQUESTED,")
          && !line.contains("/direct_url.json,") && !line.contains("/INSTALLER,")) {
        rows.add(line);
      }
    }
    return rows;
  }
}
