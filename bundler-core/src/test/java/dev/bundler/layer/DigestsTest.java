package dev.bundler.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large file's hash is remembered only while no write touched the file. */
class DigestsTest {
  @TempDir Path temp;

  @Test
  void aFileRewrittenWithItsSizeAndModificationTimeKeptIsHashedAgain() throws Exception {
    byte[] content = new byte[1 << 20];
    Path file = Files.write(temp.resolve("big.whl"), content);
    FileTime modified = Files.getLastModifiedTime(file);
    String first = Digests.sha256Hex(file);
    assertThat(Digests.sha256Hex(file)).isEqualTo(first).isEqualTo(Digests.sha256Hex(content));

    byte[] tampered = Arrays.copyOf(content, content.length);
    tampered[12345] = 1;
    Files.write(file, tampered);
    Files.setLastModifiedTime(file, modified); // what a tamperer can reset; the change time moves
    assertThat(Files.size(file)).isEqualTo(content.length);
    assertThat(Digests.sha256Hex(file)).isEqualTo(Digests.sha256Hex(tampered)).isNotEqualTo(first);
  }

  @Test
  void aHardLinkIsTheSameFileAndACopyIsHashedByItsOwnBytes() throws Exception {
    byte[] content = new byte[300 << 10];
    content[7] = 7;
    Path file = Files.write(temp.resolve("a.tar.gz"), content);
    Path link = Files.createLink(temp.resolve("b.tar.gz"), file);
    Path copy = Files.copy(file, temp.resolve("c.tar.gz"));
    String hex = Digests.sha256Hex(content);
    assertThat(Digests.sha256Hex(file)).isEqualTo(hex);
    assertThat(Digests.sha256Hex(link)).isEqualTo(hex);
    assertThat(Digests.sha256Hex(copy)).isEqualTo(hex);
    assertThat(Digests.sha256Hex(Files.write(temp.resolve("small"), new byte[] {1})))
        .isEqualTo(Digests.sha256Hex(new byte[] {1}));
  }
}
