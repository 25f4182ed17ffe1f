package dev.bundler.rootfs;

import dev.bundler.layer.LayerEntry;
import java.util.List;

/**
 * {@code /etc/pam.d/common-*}: the files {@code libpam-runtime}'s postinst writes with {@code
 * pam-auth-update} from Debian's default profile ({@code pam_unix} alone). Without them every
 * PAM service that includes them fails ({@code cron} aborts its jobs with "Critical error").
 */
public final class PamCommon {
  private static final String HEADER = "# Written by bundler as pam-auth-update writes it for the "
      + "default profile (pam_unix).\n";

  private PamCommon() {}

  /** The entries, for an image that has {@code libpam-runtime}. */
  public static List<LayerEntry> entries() {
    String session = HEADER
        + "session\t[default=1]\t\t\tpam_permit.so\n"
        + "session\trequisite\t\t\tpam_deny.so\n"
        + "session\trequired\t\t\tpam_permit.so\n"
        + "session\trequired\tpam_unix.so\n";
    return List.of(
        file("common-auth", HEADER
            + "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
            + "auth\trequisite\t\t\tpam_deny.so\n"
            + "auth\trequired\t\t\tpam_permit.so\n"),
        file("common-account", HEADER
            + "account\t[success=1 new_authtok_reqd=done default=ignore]\tpam_unix.so\n"
            + "account\trequisite\t\t\tpam_deny.so\n"
            + "account\trequired\t\t\tpam_permit.so\n"),
        file("common-password", HEADER
            + "password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\n"
            + "password\trequisite\t\t\tpam_deny.so\n"
            + "password\trequired\t\t\tpam_permit.so\n"),
        file("common-session", session),
        file("common-session-noninteractive", session));
  }

  private static LayerEntry file(String name, String content) {
    return LayerEntry.text("etc/pam.d/" + name, 0644, content);
  }
}
