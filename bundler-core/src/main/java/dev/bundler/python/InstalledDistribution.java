package dev.bundler.python;

import dev.bundler.layer.LayerEntry;
import java.util.List;

/**
 * A distribution as the installer laid it into the virtualenv.
 *
 * @param name its name, as its METADATA spells it
 * @param version its version
 * @param wheel the wheel's file name
 * @param sha256 the wheel's SHA-256, hex
 * @param entries the files, links and directories it adds
 */
public record InstalledDistribution(
    String name, Pep440Version version, String wheel, String sha256, List<LayerEntry> entries) {
  public InstalledDistribution {
    entries = List.copyOf(entries);
  }

  @Override
  public String toString() {
    return name + "==" + version;
  }
}
