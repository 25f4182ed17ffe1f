package dev.bundler.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script against the reference implementation, the {@code packaging} that pip
 * vendors, in Debian's {@code /usr/bin/python3} (the interpreter and pip of the images bundler
 * builds), feeding it JSON on stdin and reading JSON from stdout. Fails (never skips) when they are
 * missing.
 *
 * <p>pip's vendored copy is the reference rather than a newer standalone {@code packaging}: since
 * packaging 25, {@code SpecifierSet.contains} accepts a pre-release by default, while pip (23.0,
 * packaging 21.3) excludes it unless asked, and pip's behaviour is what bundler reproduces.
 */
final class PythonReference {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PythonReference() {}

  static JsonNode run(String script, Object data) throws IOException, InterruptedException {
    String python = System.getProperty("bundler.python3", "/usr/bin/python3");
    Path input = Files.createTempFile("bundler-reference-", ".json");
    Path output = Files.createTempFile("bundler-reference-", ".out");
    Path errors = Files.createTempFile("bundler-reference-", ".err");
    try {
      Files.write(input, JSON.writeValueAsBytes(data));
      Process process;
      try {
        process = new ProcessBuilder(python, "-c", script).redirectInput(input.toFile())
            .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
      } catch (IOException e) {
        throw new AssertionError(
            python + " is not installed; this test compares with Python's 'packaging'. Install it "
                + "with 'apt-get install python3 python3-pip' (.ci/run does)", e);
      }
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the reference script did not finish in 2 minutes:\n"
            + Files.readString(errors, StandardCharsets.UTF_8));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "the reference script failed (is 'packaging' importable by " + python + "? "
                + "apt-get install python3-pip):\n" + Files.readString(errors, StandardCharsets.UTF_8));
      }
      return JSON.readTree(Files.readAllBytes(output));
    } finally {
      Files.deleteIfExists(input);
      Files.deleteIfExists(output);
      Files.deleteIfExists(errors);
    }
  }

  /** Python prologue importing packaging, wherever this machine has it. */
  static final String IMPORTS =
      """
      import json, sys
      from pip._vendor.packaging.version import Version
      from pip._vendor.packaging.specifiers import SpecifierSet
      from pip._vendor.packaging.markers import Marker
      from pip._vendor.packaging import tags, _manylinux
      data = json.load(sys.stdin)
      """;
}
