package dev.bundler.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bundler.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Real Debian InRelease files verify against Debian's keyring; tampered copies do not. */
class SignatureVerifierIT {
  private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  static List<Path> realInReleases() throws Exception {
    assertThat(KEYRING).as("apt-get install debian-archive-keyring").exists();
    try (Stream<Path> files = Files.list(Path.of("/var/lib/apt/lists"))) {
      List<Path> found = files.filter(f -> f.getFileName().toString().endsWith("_InRelease")).toList();
      assertThat(found).as("InRelease files of this machine (run apt-get update)").isNotEmpty();
      return found;
    }
  }

  @Test
  void realReleasesVerifyAndTamperedOnesDoNot() throws Exception {
    Keyring keyring = Keyring.read(KEYRING, Parameter.DEBIAN_KEYRING);
    for (Path file : realInReleases()) {
      String message = Files.readString(file);
      SignatureVerifier.Outcome outcome = SignatureVerifier.verify(message, keyring, Instant.now());
      assertThat(outcome.problem()).as(file.toString()).isNull();
      assertThat(outcome.text()).contains("SHA256:").doesNotContain("BEGIN PGP");

      String tampered = message.replaceFirst("main/binary-amd64/Packages.xz", "main/binary-amd64/Packages.xy");
      assertThat(SignatureVerifier.verify(tampered, keyring, Instant.now()).problem())
          .contains("is BAD");
      String prefixed = "Origin: evil\n" + message;
      assertThat(SignatureVerifier.verify(prefixed, keyring, Instant.now()).problem())
          .contains("not a clearsigned message");
      String appended = message + "\nSHA256:\n 00 1 main/evil\n";
      assertThat(SignatureVerifier.verify(appended, keyring, Instant.now()).problem())
          .contains("text follows the signature");
    }
  }
}
