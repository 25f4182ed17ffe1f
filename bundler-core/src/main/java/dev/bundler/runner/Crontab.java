package dev.bundler.runner;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.layer.Content;
import dev.bundler.layer.LayerEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's crontab (the file {@code PACKAGE/crontab} of its wheel), installed so that
 * cron accepts it. Two formats are told apart by their job lines:
 *
 * <ul>
 *   <li>the seed's packages write {@code /etc/cron.d} lines, with a user column: {@code * * * * *
 *       www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all COMMAND}. As the seed
 *       did, the file is installed as {@code /etc/cron.d/app} (root's, mode 0600) with the
 *       application user in the user column and the image's {@code cronwrapper.sh} for the
 *       seed's wrapper path;
 *   <li>a plain user crontab ({@code * * * * * cronwrapper.sh COMMAND}) is installed as the
 *       application user's crontab.
 * </ul>
 *
 * <p>A line is in the {@code /etc/cron.d} format when the word after its schedule is {@code
 * www-data} or the application user and a command follows. A file mixing both, a job for {@code
 * root}, or a line that is neither a job, a variable nor a comment is refused.
 */
public final class Crontab {
  /** Where the seed's packages call their wrapper; replaced by {@link RunnerFiles#CRONWRAPPER}. */
  public static final String SEED_WRAPPER = "/usr/share/bluesys-cronwrapper/bin/cronwrapper.sh";

  /** Where a crontab in the {@code /etc/cron.d} format is installed. */
  public static final String SYSTEM_FILE = "etc/cron.d/app";

  private static final Pattern VARIABLE = Pattern.compile("\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=.*");
  private static final Pattern JOB = Pattern.compile(
      "(\\s*(?:@[a-z]+|\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+)\\s+)(\\S+)((?:\\s+(.*))?)");

  private final boolean system;
  private final String text;

  private Crontab(boolean system, String text) {
    this.system = system;
    this.text = text;
  }

  /**
   * Reads the crontab {@code content} of {@code source} (the wheel's file, for messages) for the
   * image {@code layout} describes.
   *
   * @throws InvalidInputException naming the file and line when cron could not run it as meant
   */
  public static Crontab parse(byte[] content, String source, RunnerLayout layout)
      throws InvalidInputException {
    List<String> lines = lines(content, source);
    List<Integer> withUser = new ArrayList<>();
    List<Integer> withoutUser = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#") || VARIABLE.matcher(line).matches()) {
        continue;
      }
      Matcher job = JOB.matcher(line);
      if (!job.matches()) {
        throw invalid(source, i, line, "is not a crontab line (a schedule of five fields or "
            + "@daily-style, then the command)");
      }
      String word = job.group(2);
      if (word.equals("root")) {
        throw invalid(source, i, line, "runs as root: the image runs cron jobs as the "
            + "application user " + layout.user() + "; write www-data in the user column");
      }
      boolean user = (word.equals("www-data") || word.equals(layout.user()))
          && job.group(4) != null && !job.group(4).isBlank();
      (user ? withUser : withoutUser).add(i + 1);
    }
    if (!withUser.isEmpty() && !withoutUser.isEmpty()) {
      throw new InvalidInputException(Parameter.PACKAGE, "The crontab " + source + " mixes "
          + "/etc/cron.d lines with a user column (lines " + withUser + ") and user crontab "
          + "lines without one (lines " + withoutUser + "): write every job in one format");
    }
    boolean system = !withUser.isEmpty();
    StringBuilder out = new StringBuilder();
    out.append("# The crontab of ").append(layout.distribution()).append(' ')
        .append(layout.version()).append(", installed by bundler for ").append(layout.user())
        .append(system ? " from its /etc/cron.d form" : "").append('\n')
        .append("SHELL=/bin/sh\n")
        .append("PATH=").append(layout.environment().get("PATH")).append('\n');
    for (String line : lines) {
      out.append(system ? forUser(line, layout.user()) : line)
          .append('\n');
    }
    return new Crontab(system, out.toString().replace(SEED_WRAPPER, RunnerFiles.CRONWRAPPER));
  }

  /** Whether the crontab is in the {@code /etc/cron.d} format (with a user column). */
  public boolean system() {
    return system;
  }

  /** The installed crontab's text. */
  public String text() {
    return text;
  }

  /** The layer entry installing the crontab where cron reads it. */
  LayerEntry entry(RunnerLayout layout) {
    Content content = Content.of(text.getBytes(StandardCharsets.UTF_8));
    return system
        ? LayerEntry.file(SYSTEM_FILE, 0600, LayerEntry.ROOT, LayerEntry.ROOT, content)
        : LayerEntry.file("var/spool/cron/crontabs/" + layout.user(), 0600, layout.uid(),
            layout.gid(), content);
  }

  private static String forUser(String line, String user) {
    Matcher job = JOB.matcher(line);
    if (line.isBlank() || line.strip().startsWith("#") || VARIABLE.matcher(line).matches()
        || !job.matches()) {
      return line;
    }
    return job.group(1) + user + job.group(3);
  }

  private static List<String> lines(byte[] content, String source) throws InvalidInputException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(Parameter.PACKAGE,
          "The crontab " + source + " is not UTF-8 text");
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  private static InvalidInputException invalid(String source, int index, String line,
      String what) {
    return new InvalidInputException(Parameter.PACKAGE, "Line " + (index + 1) + " of the crontab "
        + source + " (" + line.strip() + ") " + what);
  }
}
