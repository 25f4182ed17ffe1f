package dev.bundler.apt;

import dev.bundler.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two sides of a differential test against apt, as sorted {@code NAME VERSION} sets: both
 * read the archive at the same moment (apt gets its own lists, not the machine's, which may be
 * older than the archive).
 */
final class Resolutions {
  private static final Pattern INST = Pattern.compile("(?m)^Inst (\\S+) \\((\\S+) ");

  private Resolutions() {}

  /** What bundler's resolver installs for {@code roots}. */
  static Set<String> ours(PackageIndex index, List<String> roots) throws Exception {
    List<Resolver.Root> requested = new ArrayList<>();
    for (String root : roots) {
      requested.add(new Resolver.Root(new Relation(root, null, null, null), "test"));
    }
    Set<String> ours = new TreeSet<>();
    for (BinaryPackage pkg : new Resolver(index, "amd64").resolve(requested)) {
      ours.add(pkg.name() + " " + pkg.version());
    }
    return ours;
  }

  /** What {@code apt-get install --simulate} printed it would install. */
  static Set<String> apts(String simulation) {
    Set<String> installed = new TreeSet<>();
    Matcher m = INST.matcher(simulation);
    while (m.find()) {
      installed.add(m.group(1) + " " + m.group(2));
    }
    return installed;
  }

  /** apt-get with its own sources, lists and cache under a directory, and no installed system. */
  static final class Apt {
    private final List<String> options;

    Apt(Path root, AptConfig config) throws Exception {
      Files.createDirectories(root.resolve("lists/partial"));
      Files.createDirectories(root.resolve("cache/archives/partial"));
      Files.createDirectories(root.resolve("parts"));
      StringBuilder sources = new StringBuilder();
      for (AptSource source : config.sources()) {
        Path keyring = source.keyring() != null ? source.keyring() : config.keyring();
        sources.append("deb [signed-by=").append(keyring).append("] ").append(source.uri())
            .append(' ').append(source.suite()).append(' ')
            .append(String.join(" ", source.components())).append('\n');
      }
      Path list = Files.writeString(root.resolve("sources.list"), sources);
      options = List.of("-o", "Dir::Etc::SourceList=" + list,
          "-o", "Dir::Etc::SourceParts=" + root.resolve("parts"),
          "-o", "Dir::Etc::Preferences=/dev/null",
          "-o", "Dir::Etc::PreferencesParts=" + root.resolve("parts"),
          "-o", "Dir::State::Lists=" + root.resolve("lists"),
          "-o", "Dir::Cache=" + root.resolve("cache"),
          "-o", "Dir::State::status=/dev/null",
          "-o", "Debug::NoLocking=1",
          "-o", "APT::Sandbox::User=root",
          "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64",
          "-o", "Acquire::Languages=none",
          "-o", "APT::Install-Recommends=false");
      List<String> update = new ArrayList<>(List.of("apt-get", "update", "-q"));
      update.addAll(options);
      Tools.check(update);
    }

    Set<String> simulate(List<String> roots) throws Exception {
      List<String> command = new ArrayList<>(List.of("apt-get", "install", "--simulate"));
      command.addAll(options);
      command.addAll(roots);
      return Resolutions.apts(Tools.check(command));
    }
  }
}
