package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version ordering agrees with {@code dpkg --compare-versions}. */
class DebianVersionIT {
  @TempDir Path temp;

  private static final List<String> TRICKY = List.of(
      "1.0", "1.0-1", "1.0-0", "1.00", "1.0~rc1", "1.0~rc1-1", "1.0~~", "1.0~", "1.0+b1", "1.0a",
      "1.0.a", "1.0-1~bpo12+1", "1:0.9", "2:0", "0:1.0", "1.0-1+deb12u1", "1.0-1+deb12u10",
      "1.0-1+deb12u2", "3.11.2-6+deb12u9", "3.11.2-6", "20230311", "20230311+deb12u1",
      "2.36-9+deb12u14", "2.36-9+deb12u4", "1.2.3-4ubuntu1", "1.2.3-4", "10", "9", "1.10", "1.9",
      "0.0", "0", "a", "1-1-1", "1.0-1.1", "1.0-1.a", "7.88.1-10+deb12u8", "1:2.38.1-5+deb12u3");

  @Test
  void agreesWithDpkgOnRealAndTrickyVersions() throws Exception {
    Tools.require("dpkg", "dpkg");
    Tools.require("apt-cache", "apt");
    List<String> versions = new ArrayList<>(realVersions());
    assertThat(versions).as("versions from apt-cache dumpavail").hasSizeGreaterThan(1000);
    versions.addAll(TRICKY.stream().filter(v -> Character.isDigit(v.charAt(0))).toList());

    List<String[]> pairs = new ArrayList<>();
    List<String> sorted = new ArrayList<>(versions);
    sorted.sort((a, b) -> DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
    for (int i = 0; i + 1 < sorted.size(); i++) {
      pairs.add(new String[] {sorted.get(i), sorted.get(i + 1)});
    }
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      pairs.add(new String[] {versions.get(random.nextInt(versions.size())),
          versions.get(random.nextInt(versions.size()))});
    }
    for (String a : TRICKY) {
      for (String b : TRICKY) {
        if (Character.isDigit(a.charAt(0)) && Character.isDigit(b.charAt(0))) {
          pairs.add(new String[] {a, b});
        }
      }
    }
    List<Integer> dpkg = dpkgCompare(pairs);
    for (int i = 0; i < pairs.size(); i++) {
      String a = pairs.get(i)[0];
      String b = pairs.get(i)[1];
      assertThat(Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b))))
          .as("%s vs %s", a, b).isEqualTo(dpkg.get(i));
    }
    assertThat(pairs).hasSizeGreaterThan(5000);
  }

  private static Set<String> realVersions() throws Exception {
    Set<String> versions = new LinkedHashSet<>();
    for (String line : Tools.check(List.of("apt-cache", "dumpavail")).split("\n")) {
      if (line.startsWith("Version: ")) {
        versions.add(line.substring(9).trim());
      }
    }
    List<String> list = new ArrayList<>(versions);
    Collections.shuffle(list, new Random(7));
    return new LinkedHashSet<>(list.subList(0, Math.min(4000, list.size())));
  }

  /** -1, 0 or 1 per pair, from one shell running dpkg for each. */
  private List<Integer> dpkgCompare(List<String[]> pairs) throws IOException, InterruptedException {
    Path input = temp.resolve("pairs");
    StringBuilder lines = new StringBuilder();
    for (String[] pair : pairs) {
      lines.append(pair[0]).append(' ').append(pair[1]).append('\n');
    }
    Files.writeString(input, lines, StandardCharsets.UTF_8);
    String script = "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo -1; "
        + "elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo 0; else echo 1; fi; done < " + input;
    List<Integer> results = new ArrayList<>();
    for (String line : Tools.check(List.of("sh", "-c", script)).split("\n")) {
      results.add(Integer.parseInt(line.trim()));
    }
    assertThat(results).hasSameSizeAs(pairs);
    return results;
  }
}
