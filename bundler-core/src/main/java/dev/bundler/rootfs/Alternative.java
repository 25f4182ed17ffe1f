package dev.bundler.rootfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code update-alternatives --install} from a package's postinst: a generic name ({@code
 * awk}), its link ({@code /usr/bin/awk}), the path it can point to ({@code /usr/bin/mawk}) with a
 * priority, and slave links that follow it.
 */
public record Alternative(
    String packageName, String link, String name, String path, int priority, List<Slave> slaves) {

  /** A link that points into the same alternative as its master ({@code nawk} follows {@code awk}). */
  public record Slave(String link, String name, String path) {}

  public Alternative {
    Objects.requireNonNull(packageName, "packageName");
    requireAbsolute(link);
    Objects.requireNonNull(name, "name");
    requireAbsolute(path);
    slaves = List.copyOf(slaves);
  }

  private static void requireAbsolute(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("alternative path " + path + " is not absolute");
    }
  }

  /**
   * The alternatives a maintainer script installs. Commands whose arguments use shell variables
   * cannot be read without running the script and are returned in {@code unreadable}.
   */
  public static List<Alternative> fromScript(String packageName, String script, List<String> unreadable) {
    List<Alternative> found = new ArrayList<>();
    String joined = script.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String trimmed = line.trim();
      int at = trimmed.indexOf("update-alternatives");
      if (trimmed.startsWith("#") || at < 0 || !trimmed.contains("--install")) {
        continue;
      }
      List<String> words = words(trimmed.substring(at));
      if (words.stream().anyMatch(w -> w.contains("$") || w.contains("`"))) {
        unreadable.add(trimmed);
        continue;
      }
      Alternative alternative = parse(packageName, words);
      if (alternative == null) {
        unreadable.add(trimmed);
      } else {
        found.add(alternative);
      }
    }
    return found;
  }

  private static Alternative parse(String packageName, List<String> words) {
    int install = words.indexOf("--install");
    if (install < 0 || install + 4 >= words.size()) {
      return null;
    }
    int priority;
    try {
      priority = Integer.parseInt(words.get(install + 4));
    } catch (NumberFormatException e) {
      return null;
    }
    List<Slave> slaves = new ArrayList<>();
    for (int i = install + 5; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--slave") && i + 3 < words.size()) {
        slaves.add(new Slave(words.get(i + 1), words.get(i + 2), words.get(i + 3)));
        i += 3;
      } else if (word.equals(";") || word.equals("||") || word.equals("&&") || word.equals("fi")) {
        break;
      }
    }
    return new Alternative(
        packageName, words.get(install + 1), words.get(install + 2), words.get(install + 3),
        priority, slaves);
  }

  /** Splits a shell command into words, removing simple quotes; stops at a comment. */
  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '#' && !inWord) {
        break;
      } else if (c == ';') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        words.add(";");
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
