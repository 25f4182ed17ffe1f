package dev.bundler.runner;

import dev.bundler.InvalidInputException;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of the runner layer: the application user's directories, the templates, the
 * entrypoint, the cron wrapper and the application's crontab. Template content comes from the {@code templates/} folder of the repository,
 * packaged into this jar.
 */
public final class RunnerFiles {
  /** Every template shipped, by file name. */
  public static final List<String> TEMPLATES = List.of("entrypoint.sh", "settings.ini",
      "uwsgi.ini", "nginx.conf", "supervisord.conf", "supervisor-listener.py", "cron.env",
      "cronwrapper.sh");

  /** Where the cron job wrapper is installed (on cron's PATH through the crontab's header). */
  public static final String CRONWRAPPER = "/usr/local/bin/cronwrapper.sh";

  private static final String RESOURCES = "templates/";

  private RunnerFiles() {}

  /** The layer entries for {@code layout}, with the shipped templates and no crontab. */
  public static List<LayerEntry> entries(RunnerLayout layout) {
    return entries(layout, shipped(), null);
  }

  /** The shipped templates, by name. */
  public static Map<String, byte[]> shipped() {
    Map<String, byte[]> templates = new LinkedHashMap<>();
    for (String name : TEMPLATES) {
      templates.put(name, template(name));
    }
    return templates;
  }

  /**
   * The shipped templates with those of {@code directory} (a project's own {@code nginx.conf},
   * say) in their place.
   *
   * @throws InvalidInputException if the directory holds a file that is not a template's name,
   *     or one that is not a plain file of its own (see {@link #overrides})
   */
  public static Map<String, byte[]> withOverrides(Path directory)
      throws InvalidInputException, IOException {
    Map<String, byte[]> templates = shipped();
    if (directory == null) {
      return templates;
    }
    for (Path file : overrides(directory)) {
      templates.put(file.getFileName().toString(), TemplateDirectory.read(file));
    }
    return templates;
  }

  /**
   * The files of a project's templates directory, sorted, each named as a shipped template and
   * each a regular file of that directory (see {@link TemplateDirectory}).
   *
   * @throws InvalidInputException naming the file and the fix
   */
  public static List<Path> overrides(Path directory) throws InvalidInputException, IOException {
    return TemplateDirectory.files(directory);
  }

  /**
   * The layer entries for {@code layout}, with {@code templates} (name to content) and the
   * application's {@code crontab} (or {@code null}), installed where cron reads it (see {@link
   * Crontab}), and cron's PAM configuration for containers.
   */
  public static List<LayerEntry> entries(RunnerLayout layout, Map<String, byte[]> templates,
      Crontab crontab) {
    int uid = layout.uid();
    int gid = layout.gid();
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory(layout.home(), 0755, uid, gid));
    for (String writable : List.of(layout.etc(), layout.settings(), layout.logs(), layout.run())) {
      entries.add(LayerEntry.directory(writable, 0755, uid, gid));
    }
    entries.add(LayerEntry.directory(layout.templates(), 0755, 0, 0));
    for (String volume : RunnerLayout.VOLUMES) {
      entries.add(LayerEntry.directory(volume, 0755, uid, gid));
    }
    templates.forEach((name, content) -> entries.add(
        LayerEntry.file(layout.templates() + "/" + name, 0644, 0, 0, Content.of(content))));
    entries.add(LayerEntry.file(RunnerLayout.ENTRYPOINT, 0755, 0, 0,
        Content.of(templates.get("entrypoint.sh"))));
    entries.add(LayerEntry.file(CRONWRAPPER, 0755, 0, 0,
        Content.of(templates.get("cronwrapper.sh"))));
    entries.add(CronPam.entry());
    if (crontab != null) {
      entries.add(crontab.entry(layout));
    }
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
