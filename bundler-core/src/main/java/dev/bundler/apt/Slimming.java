package dev.bundler.apt;

import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a slim image leaves out of Debian packages, as Debian's own slim images do: manual pages,
 * info pages, translations and documentation under {@code /usr/share/{doc,man,info,locale}},
 * except each package's {@code copyright} file (its licence). The package's file list and
 * md5sums in dpkg's database omit the same files, so {@code dpkg -L} and {@code dpkg --verify}
 * tell the truth, and a {@code dpkg.cfg.d} file keeps packages installed later in a derived image
 * slim as well.
 */
public final class Slimming {
  /** The trees left out (paths as packages ship them, which are the same after the /usr merge). */
  static final List<String> EXCLUDED = List.of("usr/share/doc/", "usr/share/man/",
      "usr/share/info/", "usr/share/locale/");

  /** Where the exclusions are written for dpkg in the image. */
  static final String DPKG_CONFIG = "etc/dpkg/dpkg.cfg.d/bundler-slim";

  private static final Slimming NONE = new Slimming(false);
  private static final Slimming SLIM = new Slimming(true);

  private final boolean enabled;

  private Slimming(boolean enabled) {
    this.enabled = enabled;
  }

  /** Leaves documentation out unless {@code keepDocumentation}. */
  public static Slimming of(boolean keepDocumentation) {
    return keepDocumentation ? NONE : SLIM;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Whether a package path is left out. */
  static boolean excluded(String path) {
    for (String prefix : EXCLUDED) {
      if (path.startsWith(prefix)) {
        // usr/share/doc/PACKAGE/copyright stays; so do the directories leading to it.
        return !(prefix.equals("usr/share/doc/") && (path.endsWith("/copyright")
            || path.indexOf('/', prefix.length()) < 0));
      }
    }
    return false;
  }

  /** {@code archive} without the excluded files, its md5sums to match. */
  DebArchive apply(DebArchive archive) {
    if (!enabled) {
      return archive;
    }
    Set<String> keptTargets = new HashSet<>();
    for (LayerEntry entry : archive.entries()) {
      if (entry.type() == LayerEntry.Type.HARDLINK && !excluded(entry.path())) {
        keptTargets.add(entry.linkTarget());
      }
    }
    List<LayerEntry> kept = new ArrayList<>();
    for (LayerEntry entry : archive.entries()) {
      if (!excluded(entry.path()) || keptTargets.contains(entry.path())) {
        kept.add(entry);
      }
    }
    if (kept.size() == archive.entries().size()) {
      return archive;
    }
    Set<String> keptPaths = new HashSet<>();
    kept.forEach(entry -> keptPaths.add(entry.path()));
    Map<String, byte[]> control = new LinkedHashMap<>(archive.controlFiles());
    byte[] md5sums = control.get("md5sums");
    if (md5sums != null) {
      StringBuilder filtered = new StringBuilder();
      for (String line : new String(md5sums, StandardCharsets.UTF_8).split("\n")) {
        int space = line.indexOf("  ");
        if (space < 0 || keptPaths.contains(line.substring(space + 2).replaceFirst("^/", ""))) {
          if (!line.isEmpty()) {
            filtered.append(line).append('\n');
          }
        }
      }
      control.put("md5sums", filtered.toString().getBytes(StandardCharsets.UTF_8));
    }
    return new DebArchive(archive.control(), control, kept);
  }

  /** The configuration entries of a slim image: dpkg told what it leaves out. */
  List<LayerEntry> entries() {
    if (!enabled) {
      return List.of();
    }
    StringBuilder config = new StringBuilder("# Written by bundler: documentation is left out of "
        + "this image, as in Debian's slim images.\n");
    for (String prefix : EXCLUDED) {
      config.append("path-exclude /").append(prefix).append("*\n");
    }
    config.append("path-include /usr/share/doc/*/copyright\n");
    return List.of(LayerEntry.file(DPKG_CONFIG, 0644, 0, 0,
        Content.of(config.toString().getBytes(StandardCharsets.UTF_8))));
  }

  /** What is left out, in words (for the SBOM), or {@code null} when nothing is. */
  public String omitted() {
    return enabled ? "/usr/share/doc (but each package's copyright file), /usr/share/man, "
        + "/usr/share/info, /usr/share/locale" : null;
  }

  @Override
  public String toString() {
    return enabled ? "slim" : "full";
  }
}
