package dev.bundler.python;

import dev.bundler.layer.LayerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A virtualenv as {@code python3 -m venv} lays it out on Debian, at an absolute path of the image:
 * {@code bin/} with the interpreter links, {@code lib/pythonX.Y/site-packages}, {@code
 * include/pythonX.Y}, {@code lib64 -> lib} and {@code pyvenv.cfg}.
 *
 * @param root the virtualenv's absolute path in the image, e.g. {@code /home/app/app}
 * @param target the Python it runs on
 * @param interpreter the system interpreter it links to, e.g. {@code /usr/bin/python3}
 * @param uid owner of what is installed
 * @param gid group of what is installed
 */
public record VenvLayout(String root, PythonTarget target, String interpreter, int uid, int gid) {

  public VenvLayout {
    if (root == null || !root.startsWith("/") || root.endsWith("/")) {
      throw new IllegalArgumentException("virtualenv path " + root + " is not absolute");
    }
    Objects.requireNonNull(target, "target");
    if (interpreter == null || !interpreter.startsWith("/")) {
      throw new IllegalArgumentException("interpreter " + interpreter + " is not absolute");
    }
  }

  /** The layout Debian's {@code /usr/bin/python3 -m venv ROOT} makes. */
  public static VenvLayout debian(String root, PythonTarget target, int uid, int gid) {
    return new VenvLayout(root, target, "/usr/bin/python3", uid, gid);
  }

  /** The layer path (no leading slash) of a path relative to the virtualenv. */
  public String path(String relative) {
    return LayerEntry.normalize(root + "/" + relative);
  }

  public String bin() {
    return "bin";
  }

  public String sitePackages() {
    return "lib/python" + target.version() + "/site-packages";
  }

  /** Where {@code .data/headers} of distribution {@code name} go. */
  public String headers(String name) {
    return "include/site/python" + target.version() + "/" + name;
  }

  /** The interpreter scripts and launchers are run with: {@code ROOT/bin/python3}. */
  public String python() {
    return root + "/bin/python3";
  }

  /** The entries of an empty virtualenv. */
  public List<LayerEntry> skeleton() {
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory(root, 0755, uid, gid));
    for (String dir : List.of("bin", "include", "include/python" + target.version(), "lib",
        "lib/python" + target.version(), sitePackages())) {
      entries.add(LayerEntry.directory(path(dir), 0755, uid, gid));
    }
    entries.add(LayerEntry.symlink(path("lib64"), "lib", uid, gid));
    entries.add(LayerEntry.symlink(path("bin/python3"), interpreter, uid, gid));
    entries.add(LayerEntry.symlink(path("bin/python"), "python3", uid, gid));
    entries.add(LayerEntry.symlink(path("bin/python" + target.version()), "python3", uid, gid));
    String home = interpreter.substring(0, interpreter.lastIndexOf('/'));
    String cfg =
        "home = " + (home.isEmpty() ? "/" : home) + "\n"
            + "include-system-site-packages = false\n"
            + "version = " + target.fullVersion() + "\n"
            + "executable = " + home + "/python" + target.version() + "\n"
            + "command = " + interpreter + " -m venv " + root + "\n";
    entries.add(file("pyvenv.cfg", 0644, cfg));
    return entries;
  }

  private LayerEntry file(String relative, int mode, String text) {
    return LayerEntry.file(path(relative), mode, uid, gid,
        dev.bundler.layer.Content.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
