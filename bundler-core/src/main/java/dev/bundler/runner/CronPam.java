package dev.bundler.runner;

import dev.bundler.layer.LayerEntry;

/**
 * {@code /etc/pam.d/cron} for containers, written at build time: Debian's file, with {@code
 * pam_loginuid} optional. A container may not set its processes' login uid, so with Debian's
 * {@code required} every cron job fails its PAM session and never runs.
 */
final class CronPam {
  private CronPam() {}

  static LayerEntry entry() {
    return LayerEntry.text("etc/pam.d/cron", 0644, String.join("\n",
        "# The PAM configuration of the cron daemon, as Debian's cron package ships it except",
        "# for pam_loginuid, optional here: written by bundler, since a container may not set",
        "# the login uid of its processes and cron would otherwise refuse to run any job.",
        "",
        "@include common-auth",
        "",
        "# Sets the loginuid process attribute, where the container allows it",
        "session    optional     pam_loginuid.so",
        "",
        "# Reads environment variables from /etc/environment and /etc/security/pam_env.conf",
        "session       required   pam_env.so",
        "",
        "# and the locale",
        "session       required   pam_env.so envfile=/etc/default/locale",
        "",
        "@include common-account",
        "@include common-session-noninteractive",
        "",
        "# User limits for cron jobs, from /etc/security/limits.conf",
        "session    required   pam_limits.so",
        ""));
  }
}
