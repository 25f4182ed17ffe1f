package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /etc/passwd}, {@code /etc/group}, {@code /etc/shadow} and {@code /etc/gshadow} as
 * base-passwd's postinst creates them from its master files, plus the application's user. Without
 * base-passwd, a minimal set (root, www-data, nogroup/nobody) is written.
 *
 * @param user the application user's name
 * @param uid its id
 * @param gid its primary group ({@code www-data}, 33, on Debian)
 */
public record SystemUsers(String user, int uid, int gid) {
  private static final String PASSWD_MASTER = "usr/share/base-passwd/passwd.master";
  private static final String GROUP_MASTER = "usr/share/base-passwd/group.master";
  private static final int SHADOW_GID = 42;

  /** The entries for {@code tree}. */
  public List<LayerEntry> entries(FileTree tree) throws IOException {
    String passwd = read(tree, PASSWD_MASTER).orElse(
        "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    String group = read(tree, GROUP_MASTER).orElse(
        "root:x:0:\nshadow:x:42:\nwww-data:x:33:\nnogroup:x:65534:\n");
    String shell = tree.resolve("bin/bash").isPresent() ? "/bin/bash" : "/bin/sh";
    passwd = passwd + user + ":x:" + uid + ":" + gid + "::/home/" + user + ":" + shell + "\n";
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.text("etc/passwd", 0644, passwd));
    entries.add(LayerEntry.text("etc/group", 0644, group));
    entries.add(LayerEntry.file("etc/shadow", 0640, 0, SHADOW_GID, text(shadow(passwd))));
    entries.add(LayerEntry.file("etc/gshadow", 0640, 0, SHADOW_GID, text(gshadow(group))));
    return entries;
  }

  private static String shadow(String passwd) {
    StringBuilder out = new StringBuilder();
    for (String line : passwd.split("\n")) {
      if (!line.isBlank()) {
        out.append(line.split(":", 2)[0]).append(":*::0:99999:7:::\n");
      }
    }
    return out.toString();
  }

  private static String gshadow(String group) {
    StringBuilder out = new StringBuilder();
    for (String line : group.split("\n")) {
      if (!line.isBlank()) {
        String[] fields = line.split(":", -1);
        out.append(fields[0]).append(":*::").append(fields.length > 3 ? fields[3] : "").append('\n');
      }
    }
    return out.toString();
  }

  private static dev.bundler.layer.Content text(String value) {
    return dev.bundler.layer.Content.of(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> read(FileTree tree, String path) throws IOException {
    Optional<FileTree.Resolved> file = tree.resolve(path);
    if (file.isEmpty() || file.get().entry().type() != LayerEntry.Type.FILE) {
      return Optional.empty();
    }
    try (InputStream in = file.get().entry().content().open()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Optional.of(text.endsWith("\n") ? text : text + "\n");
    }
  }
}
