package dev.bundler.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bundler.InvalidInputException;
import dev.bundler.layer.LayerEntry;
import dev.bundler.testkit.DjangoSite;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application's crontab as the seed's packages ship it ({@code /etc/cron.d} lines with a user
 * column and the seed's wrapper) and as a plain user crontab; the run by cron itself is in
 * {@code RunnerContractIT}.
 */
class CrontabTest {
  static final RunnerLayout LAYOUT = new RunnerLayout("app", 1000, 33, "siteapp", "1.0", "3.11");
  static final String SOURCE = "siteapp-1.0-py3-none-any.whl!/siteapp/crontab";

  private static Crontab parse(String text) throws InvalidInputException {
    return Crontab.parse(text.getBytes(StandardCharsets.UTF_8), SOURCE, LAYOUT);
  }

  private static String content(LayerEntry entry) throws Exception {
    try (InputStream in = entry.content().open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theSeedsFormatBecomesRootsCronDFileForTheApplicationUserWithTheImagesWrapper()
      throws Exception {
    Crontab crontab = parse(DjangoSite.SEED_CRONTAB);
    assertThat(crontab.system()).isTrue();
    LayerEntry entry = crontab.entry(LAYOUT);
    assertThat(entry.path()).isEqualTo("etc/cron.d/app");
    assertThat(entry.mode()).isEqualTo(0600);
    assertThat(entry.uid()).isZero();
    assertThat(entry.gid()).isZero();
    assertThat(content(entry))
        .startsWith("# The crontab of siteapp 1.0, installed by bundler for app from its "
            + "/etc/cron.d form\nSHELL=/bin/sh\nPATH=/home/app/app/bin:")
        .contains("# m h dom mon dow user command\nMAILTO=\"\"\n")
        .contains("* * * * * app /usr/local/bin/cronwrapper.sh --all greet from-cron\n")
        .contains("* * * * * app /usr/local/bin/cronwrapper.sh --all fail\n")
        .doesNotContain("www-data", "bluesys")
        .endsWith("\n");
  }

  @Test
  void aPlainUserCrontabIsTheApplicationUsersOwn() throws Exception {
    Crontab crontab = parse("# every minute\r\nFOO = bar\r\n*/5 * * * * cronwrapper.sh greet\r\n"
        + "@daily cronwrapper.sh --kill-previous tidy\r\n");
    assertThat(crontab.system()).isFalse();
    LayerEntry entry = crontab.entry(LAYOUT);
    assertThat(entry.path()).isEqualTo("var/spool/cron/crontabs/app");
    assertThat(entry.mode()).isEqualTo(0600);
    assertThat(entry.uid()).isEqualTo(1000);
    assertThat(content(entry)).endsWith(
        "# every minute\nFOO = bar\n*/5 * * * * cronwrapper.sh greet\n"
            + "@daily cronwrapper.sh --kill-previous tidy\n");
  }

  @Test
  void theApplicationUsersNameInTheUserColumnAndDailyStyleSchedulesAreUnderstood()
      throws Exception {
    Crontab crontab = parse("@hourly app " + Crontab.SEED_WRAPPER + " --all tidy\n"
        + "0 3 * * 1-5 www-data " + Crontab.SEED_WRAPPER + " --all report\n");
    assertThat(crontab.system()).isTrue();
    assertThat(crontab.text()).contains("@hourly app /usr/local/bin/cronwrapper.sh --all tidy\n"
        + "0 3 * * 1-5 app /usr/local/bin/cronwrapper.sh --all report\n");
  }

  @Test
  void whatCronWouldNotRunAsMeantIsRefusedNamingTheLine() {
    assertThatThrownBy(() -> parse("* * * * * www-data cronwrapper.sh a\n* * * * * cronwrapper.sh b\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("The crontab " + SOURCE + " mixes /etc/cron.d lines with a user "
            + "column (lines [1]) and user crontab lines without one (lines [2])");
    assertThatThrownBy(() -> parse("# ok\n* * * * * root rm -rf /tmp/x\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Line 2 of the crontab " + SOURCE + " (* * * * * root rm -rf "
            + "/tmp/x) runs as root");
    assertThatThrownBy(() -> parse("* * * cronwrapper.sh\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Line 1 of the crontab " + SOURCE + " (* * * cronwrapper.sh) is "
            + "not a crontab line");
    assertThatThrownBy(() -> Crontab.parse(new byte[] {'*', ' ', (byte) 0xff, '\n'}, SOURCE, LAYOUT))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not UTF-8 text");
  }

  @Test
  void theRunnerLayerCarriesTheCrontabAndCronsPamConfigurationForContainers() throws Exception {
    Map<String, LayerEntry> entries = RunnerFiles.entries(LAYOUT, RunnerFiles.shipped(),
        parse(DjangoSite.SEED_CRONTAB)).stream()
        .collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    assertThat(entries).containsKeys("etc/cron.d/app", "usr/local/bin/cronwrapper.sh",
        "home/app/django_config", "home/app/templates/supervisor-listener.py");
    assertThat(entries).doesNotContainKey("var/spool/cron/crontabs/app");
    String pam = content(entries.get("etc/pam.d/cron"));
    assertThat(pam).contains("session    optional     pam_loginuid.so\n",
        "@include common-session-noninteractive\n");
    assertThat(pam.lines().filter(line -> line.startsWith("session") && line.contains("pam_loginuid")).toList())
        .isEqualTo(List.of("session    optional     pam_loginuid.so"));
  }
}
