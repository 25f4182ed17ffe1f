package dev.bundler.python;

import java.util.ArrayList;
import java.util.List;

/**
 * Console and GUI script launchers from {@code entry_points.txt}, written the way pip writes them
 * on Linux: a small Python script with the virtualenv's interpreter in its shebang.
 */
final class Launchers {
  private Launchers() {}

  /** A launcher to write: its file name and text. */
  record Launcher(String name, String text) {}

  /** Launchers for {@code scripts}, checked by {@link EntryPoints} when the wheel was opened. */
  static List<Launcher> of(List<EntryPoints.Script> scripts, String python) {
    List<Launcher> launchers = new ArrayList<>();
    for (EntryPoints.Script script : scripts) {
      launchers.add(new Launcher(script.name(), text(script, python)));
    }
    return launchers;
  }

  private static String text(EntryPoints.Script script, String python) {
    String importName = script.attribute().split("\\.")[0];
    return "#!" + python + "\n"
        + "# -*- coding: utf-8 -*-\n"
        + "import re\n"
        + "import sys\n"
        + "from " + script.module() + " import " + importName + "\n"
        + "if __name__ == '__main__':\n"
        + "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        + "    sys.exit(" + script.attribute() + "())\n";
  }
}
