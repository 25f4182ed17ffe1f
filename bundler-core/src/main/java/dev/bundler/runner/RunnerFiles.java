package dev.bundler.runner;

import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of the runner layer: the application user's directories, the templates and the
 * entrypoint. Template content comes from the {@code templates/} folder of the repository,
 * packaged into this jar.
 */
public final class RunnerFiles {
  /** Every template shipped, by file name. */
  public static final List<String> TEMPLATES = List.of("entrypoint.sh");

  private static final String RESOURCES = "templates/";

  private RunnerFiles() {}

  /** The layer entries for {@code layout}. */
  public static List<LayerEntry> entries(RunnerLayout layout) {
    int uid = layout.uid();
    int gid = layout.gid();
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory(layout.home(), 0755, uid, gid));
    for (String writable : List.of(layout.etc(), layout.logs(), layout.run())) {
      entries.add(LayerEntry.directory(writable, 0755, uid, gid));
    }
    entries.add(LayerEntry.directory(layout.templates(), 0755, 0, 0));
    for (String volume : RunnerLayout.VOLUMES) {
      entries.add(LayerEntry.directory(volume, 0755, uid, gid));
    }
    for (String name : TEMPLATES) {
      byte[] content = template(name);
      entries.add(LayerEntry.file(layout.templates() + "/" + name, 0644, 0, 0, Content.of(content)));
    }
    entries.add(
        LayerEntry.file(RunnerLayout.ENTRYPOINT, 0755, 0, 0, Content.of(template("entrypoint.sh"))));
    return entries;
  }

  /** The bytes of a shipped template. */
  public static byte[] template(String name) {
    try (InputStream in = RunnerFiles.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("template " + name + " is missing from bundler-core's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
