package dev.bundler.python;

import dev.bundler.InvalidInputException;
import dev.bundler.layer.Content;
import dev.bundler.layer.Digests;
import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Installs wheels into a {@link VenvLayout} the way {@code pip install} does, as layer entries
 * instead of files: root files to site-packages, {@code .data/} schemes to their places, {@code
 * #!python} scripts re-pointed at the virtualenv, console-script launchers written, {@code
 * INSTALLER} and an updated {@code RECORD} added. Bytecode is not compiled.
 */
public final class WheelInstaller {
  /** The version of the installer's output; part of layer cache keys. */
  public static final String FORMAT = "wheel-installer/1";

  private static final Set<String> REPLACED = Set.of("RECORD", "RECORD.jws", "RECORD.p7s",
      "INSTALLER", "REQUESTED", "direct_url.json");

  private final VenvLayout layout;

  public WheelInstaller(VenvLayout layout) {
    this.layout = layout;
  }

  /**
   * Installs {@code wheels}; {@code requested} ones get a {@code REQUESTED} marker, as the
   * distributions the user asked for.
   *
   * @throws InvalidInputException if two wheels install the same path
   */
  public List<InstalledDistribution> installAll(List<Wheel> wheels, Set<String> requested)
      throws InvalidInputException, IOException {
    List<InstalledDistribution> installed = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    for (Wheel wheel : wheels) {
      InstalledDistribution distribution =
          install(wheel, requested.contains(Names.normalize(wheel.name())));
      for (LayerEntry entry : distribution.entries()) {
        if (entry.type() == LayerEntry.Type.DIRECTORY) {
          continue;
        }
        String previous = owners.putIfAbsent(entry.path(), wheel.file().getFileName().toString());
        if (previous != null) {
          throw new InvalidInputException(wheel.parameter(), "The wheels "
              + wheel.file().getFileName() + " and " + previous + " both install /"
              + entry.path() + ": remove one of them from the wheelhouse");
        }
      }
      installed.add(distribution);
    }
    return installed;
  }

  /** Installs one wheel. */
  public InstalledDistribution install(Wheel wheel, boolean requested)
      throws InvalidInputException, IOException {
    Map<String, LayerEntry> entries = new TreeMap<>();
    // By path: a launcher replaces a wheel file of the same name, and keeps one RECORD row, as pip.
    Map<String, WheelRecord.Row> rows = new TreeMap<>();
    String dataDir = wheel.distInfo().replaceFirst("\\.dist-info$", ".data");
    for (String path : wheel.files()) {
      if (path.startsWith(wheel.distInfo() + "/")
          && REPLACED.contains(path.substring(wheel.distInfo().length() + 1))) {
        continue;
      }
      String target = target(wheel, path, dataDir);
      ZipArchiveEntry zipEntry = wheel.entry(path);
      boolean executable = (zipEntry.getUnixMode() & 0111) != 0;
      int mode = executable ? 0755 : 0644;
      Content content = Content.lazy(zipEntry.getSize(), () -> wheel.open(path));
      String hash = null;
      if (path.startsWith(dataDir + "/scripts/")) {
        byte[] script = readAll(wheel, path);
        byte[] fixed = fixShebang(script);
        if (fixed != script) {
          content = Content.of(fixed);
          hash = WheelRecord.hash(Digests.sha256().digest(fixed));
        }
      }
      add(entries, rows, target, mode, content, hash != null ? hash : wheel.recordedHash(path));
    }
    for (Launchers.Launcher launcher :
        Launchers.of(wheel.scripts(), layout.python())) {
      add(entries, rows, layout.bin() + "/" + launcher.name(), 0755, launcher.text());
    }
    String sitePackages = layout.sitePackages();
    add(entries, rows, sitePackages + "/" + wheel.distInfo() + "/INSTALLER", 0644, "bundler\n");
    if (requested) {
      add(entries, rows, sitePackages + "/" + wheel.distInfo() + "/REQUESTED", 0644, "");
    }
    rows.put(wheel.distInfo() + "/RECORD", new WheelRecord.Row(wheel.distInfo() + "/RECORD", "", ""));
    byte[] record = WheelRecord.format(new ArrayList<>(rows.values())).getBytes(StandardCharsets.UTF_8);
    putEntry(entries, LayerEntry.file(layout.path(sitePackages + "/" + wheel.distInfo() + "/RECORD"),
        0644, layout.uid(), layout.gid(), Content.of(record)));
    return new InstalledDistribution(wheel.name(), wheel.version(),
        wheel.file().getFileName().toString(), wheel.sha256(), new ArrayList<>(entries.values()));
  }

  /** Where a wheel entry goes, relative to the virtualenv. */
  private String target(Wheel wheel, String path, String dataDir) throws InvalidInputException {
    if (!path.startsWith(dataDir + "/")) {
      return layout.sitePackages() + "/" + path;
    }
    String rest = path.substring(dataDir.length() + 1);
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw refused(wheel, path, "is not inside a .data scheme directory");
    }
    String scheme = rest.substring(0, slash);
    String inside = rest.substring(slash + 1);
    return switch (scheme) {
      case "scripts" -> layout.bin() + "/" + inside;
      case "headers" -> layout.headers(wheel.name()) + "/" + inside;
      case "data" -> inside;
      case "purelib", "platlib" -> layout.sitePackages() + "/" + inside;
      default -> throw refused(wheel, path, "uses the unknown .data scheme '" + scheme + "'");
    };
  }

  private void add(Map<String, LayerEntry> entries, Map<String, WheelRecord.Row> rows, String relative,
      int mode, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    add(entries, rows, relative, mode, Content.of(bytes),
        WheelRecord.hash(Digests.sha256().digest(bytes)));
  }

  private void add(Map<String, LayerEntry> entries, Map<String, WheelRecord.Row> rows, String relative,
      int mode, Content content, String hash) {
    putEntry(entries, LayerEntry.file(layout.path(relative), mode, layout.uid(), layout.gid(), content));
    String path = recordPath(relative);
    rows.put(path, new WheelRecord.Row(path, hash, Long.toString(content.size())));
  }

  /** Adds an entry and every missing parent directory up to the virtualenv, owned alike. */
  private void putEntry(Map<String, LayerEntry> entries, LayerEntry entry) {
    entries.put(entry.path(), entry);
    String root = layout.path(".");
    String path = entry.path();
    for (int slash = path.lastIndexOf('/'); slash > root.length(); slash = path.lastIndexOf('/', slash - 1)) {
      String parent = path.substring(0, slash);
      if (entries.putIfAbsent(parent, LayerEntry.directory(parent, 0755, layout.uid(), layout.gid())) != null) {
        break;
      }
    }
  }

  /** A path relative to site-packages, as RECORD lists it ({@code ../../../bin/x}). */
  private String recordPath(String relative) {
    Path from = Path.of(layout.sitePackages());
    return from.relativize(Path.of(relative)).toString();
  }

  /** pip's rule: a first line starting {@code #!python} becomes the virtualenv's interpreter. */
  private byte[] fixShebang(byte[] script) {
    byte[] marker = "#!python".getBytes(StandardCharsets.US_ASCII);
    if (script.length < marker.length) {
      return script;
    }
    for (int i = 0; i < marker.length; i++) {
      if (script[i] != marker[i]) {
        return script;
      }
    }
    int end = 0;
    while (end < script.length && script[end] != '\n') {
      end++;
    }
    byte[] shebang = ("#!" + layout.python() + "\n").getBytes(StandardCharsets.UTF_8);
    int restStart = Math.min(end + 1, script.length);
    byte[] fixed = new byte[shebang.length + script.length - restStart];
    System.arraycopy(shebang, 0, fixed, 0, shebang.length);
    System.arraycopy(script, restStart, fixed, shebang.length, script.length - restStart);
    return fixed;
  }

  private static byte[] readAll(Wheel wheel, String path) throws IOException {
    try (InputStream in = wheel.open(path)) {
      return in.readAllBytes();
    }
  }

  private static InvalidInputException refused(Wheel wheel, String path, String why) {
    return new InvalidInputException(wheel.parameter(), "The wheel " + wheel.file().getFileName()
        + " is refused: its entry '" + path + "' " + why);
  }
}
