package dev.bundler.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.io.CacheSeal;
import dev.bundler.layer.Digests;
import dev.bundler.python.PythonTarget;
import dev.bundler.python.Wheel;
import dev.bundler.python.Wheelhouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens wheels to choose them from what choosing them read before, remembered under their
 * SHA-256 in a sealed record ({@link Wheel.Description}: the {@code .dist-info} directory and
 * {@code METADATA}): an application change chooses its unchanged dependencies (Django's wheel
 * and its 3,500 entries) without opening their zips. A wheel not described yet is opened and
 * described; a record not sealed by this cache's key is not read. Only choosing is spared: the
 * installer opens every wheel whose files it installs, and checks them all.
 */
final class WheelDescriptions implements Wheelhouse.Opener {
  private static final String FORMAT = "wheel-description/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Stored(String format, String distInfo, String metadata) {}

  private final Path records;
  private final CacheSeal seal;

  WheelDescriptions(Path records, CacheSeal seal) {
    this.records = records;
    this.seal = seal;
  }

  @Override
  public Wheel open(Path file, PythonTarget target, Parameter parameter)
      throws InvalidInputException, IOException {
    if (!Files.isRegularFile(file)) {
      return Wheel.openForChoice(file, target, parameter); // which says what is wrong
    }
    String sha256 = Digests.sha256Hex(file);
    Path record = records.resolve(sha256 + ".json");
    byte[] stored = seal.read(record);
    if (stored != null) {
      Stored description = JSON.readValue(stored, Stored.class);
      if (FORMAT.equals(description.format())) {
        return Wheel.described(file, target, parameter,
            new Wheel.Description(description.distInfo(), description.metadata()), sha256);
      }
    }
    Wheel wheel = Wheel.openForChoice(file, target, parameter);
    if (wheel.sha256().equals(sha256)) { // else it changed while read: described next time
      Wheel.Description description = wheel.description();
      seal.write(record, JSON.writeValueAsBytes(
          new Stored(FORMAT, description.distInfo(), description.metadata())));
    }
    return wheel;
  }
}
