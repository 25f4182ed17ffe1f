package dev.bundler.apt;

import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * dpkg's database for the installed packages, so that {@code dpkg -l}, {@code dpkg -L} and image
 * scanners see what the image holds: {@code /var/lib/dpkg/status} and, per package, its file list,
 * md5sums and conffiles under {@code /var/lib/dpkg/info}. File lists name the paths as the package
 * ships them (before the /usr merge), as dpkg records them.
 */
public final class DpkgDatabase {
  private static final String INFO = "var/lib/dpkg/info/";

  private DpkgDatabase() {}

  /** A package as installed: the index entry and the archive it came from. */
  public record Installed(BinaryPackage pkg, DebArchive archive) {}

  public static List<LayerEntry> entries(List<Installed> installed, String architecture) {
    List<Installed> sorted = new ArrayList<>(installed);
    sorted.sort(Comparator.comparing(i -> i.pkg().name()));
    StringBuilder status = new StringBuilder();
    List<LayerEntry> entries = new ArrayList<>();
    for (Installed package_ : sorted) {
      Map<String, String> fields = package_.archive().control().fields();
      status.append("Package: ").append(package_.pkg().name()).append('\n');
      status.append("Status: install ok installed\n");
      for (Map.Entry<String, String> field : fields.entrySet()) {
        if (!field.getKey().equalsIgnoreCase("Package") && !field.getKey().equalsIgnoreCase("Status")) {
          Deb822.appendField(status, field.getKey(), field.getValue());
        }
      }
      status.append('\n');
      String base = INFO + package_.pkg().name()
          + ("same".equals(package_.pkg().multiArch()) ? ":" + architecture : "");
      entries.add(text(base + ".list", fileList(package_.archive())));
      for (String name : List.of("md5sums", "conffiles", "triggers", "shlibs")) {
        byte[] content = package_.archive().controlFiles().get(name);
        if (content != null) {
          entries.add(LayerEntry.file(base + "." + name, 0644, 0, 0, Content.of(content)));
        }
      }
    }
    entries.add(text("var/lib/dpkg/status", status.toString()));
    entries.add(text("var/lib/dpkg/available", ""));
    entries.add(text(INFO + "format", "1\n"));
    for (String dir : List.of("var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/lib/dpkg/alternatives")) {
      entries.add(LayerEntry.directory(dir, 0755, 0, 0));
    }
    return entries;
  }

  private static String fileList(DebArchive archive) {
    StringBuilder list = new StringBuilder("/.\n");
    for (LayerEntry entry : archive.entries()) {
      list.append('/').append(entry.path()).append('\n');
    }
    return list.toString();
  }

  private static LayerEntry text(String path, String content) {
    return LayerEntry.file(path, 0644, 0, 0, Content.of(content.getBytes(StandardCharsets.UTF_8)));
  }
}
