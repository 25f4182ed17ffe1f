package dev.bundler.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
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

  static JsonNode run(String script, Object input) throws IOException, InterruptedException {
    String python = System.getProperty("bundler.python3", "/usr/bin/python3");
    Process process;
    try {
      process = new ProcessBuilder(python, "-c", script).start();
    } catch (IOException e) {
      throw new AssertionError(
          python + " is not installed; this test compares with Python's 'packaging'. Install it "
              + "with 'apt-get install python3 python3-pip' (.ci/run does)", e);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(JSON.writeValueAsBytes(input));
    }
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError(
          "the reference script failed (is 'packaging' importable by " + python + "? "
              + "apt-get install python3-pip):\n" + err);
    }
    return JSON.readTree(out);
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
