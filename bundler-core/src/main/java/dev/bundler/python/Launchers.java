package dev.bundler.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Console and GUI script launchers from {@code entry_points.txt}, written the way pip writes them
 * on Linux: a small Python script with the virtualenv's interpreter in its shebang.
 */
final class Launchers {
  private Launchers() {}

  /** A launcher to write: its file name and text. */
  record Launcher(String name, String text) {}

  /** Launchers for the {@code console_scripts} and {@code gui_scripts} of entry_points.txt. */
  static List<Launcher> of(String entryPoints, String python) {
    List<Launcher> launchers = new ArrayList<>();
    if (entryPoints == null) {
      return launchers;
    }
    for (Map.Entry<String, String> entry : section(entryPoints).entrySet()) {
      launchers.add(new Launcher(entry.getKey(), script(entry.getValue(), python)));
    }
    return launchers;
  }

  /** name -> {@code module:attr} of both script sections, in file order. */
  private static Map<String, String> section(String text) {
    Map<String, String> scripts = new LinkedHashMap<>();
    String current = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int equals = line.indexOf('=');
      if (equals > 0 && ("console_scripts".equals(current) || "gui_scripts".equals(current))) {
        scripts.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    return scripts;
  }

  private static String script(String reference, String python) {
    String target = reference.replaceAll("\\[.*\\]", "").strip();
    int colon = target.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("entry point '" + reference + "' has no ':'");
    }
    String module = target.substring(0, colon).strip();
    String function = target.substring(colon + 1).strip();
    String importName = function.split("\\.")[0];
    return "#!" + python + "\n"
        + "# -*- coding: utf-8 -*-\n"
        + "import re\n"
        + "import sys\n"
        + "from " + module + " import " + importName + "\n"
        + "if __name__ == '__main__':\n"
        + "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        + "    sys.exit(" + function + "())\n";
  }
}
