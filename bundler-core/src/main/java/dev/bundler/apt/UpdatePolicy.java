package dev.bundler.apt;

import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;

/**
 * How often the archive is asked whether its signed {@code InRelease} files changed, as Maven's
 * repository {@code updatePolicy} decides for snapshots: {@code always}, {@code daily} (the
 * first build of each day, in this machine's time zone), {@code interval:MINUTES}, or {@code
 * never} (only what is not cached is fetched). Between checks a build uses the cached, verified
 * file and makes no request.
 *
 * @param kind which policy
 * @param interval for {@link Kind#INTERVAL}, how long a check holds; else {@code null}
 */
public record UpdatePolicy(Kind kind, Duration interval) {
  /** The policies. */
  public enum Kind { ALWAYS, DAILY, INTERVAL, NEVER }

  /** The default. */
  public static final UpdatePolicy DAILY = new UpdatePolicy(Kind.DAILY, null);

  /** A check on every build (the behaviour before update policies). */
  public static final UpdatePolicy ALWAYS = new UpdatePolicy(Kind.ALWAYS, null);

  public UpdatePolicy {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.INTERVAL) != (interval != null)) {
      throw new IllegalArgumentException("an interval goes with interval:MINUTES only");
    }
    if (interval != null && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException("the interval must be positive");
    }
  }

  /**
   * Parses {@code always}, {@code daily}, {@code interval:MINUTES} or {@code never}.
   *
   * @throws InvalidInputException naming {@code bundler.debian.updatePolicy}
   */
  public static UpdatePolicy parse(String text) throws InvalidInputException {
    String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "always":
        return ALWAYS;
      case "daily":
      case "":
        return DAILY;
      case "never":
        return new UpdatePolicy(Kind.NEVER, null);
      default:
        break;
    }
    if (value.matches("interval:[0-9]{1,9}") && Long.parseLong(value.substring(9)) > 0) {
      return new UpdatePolicy(Kind.INTERVAL, Duration.ofMinutes(Long.parseLong(value.substring(9))));
    }
    throw new InvalidInputException(Parameter.DEBIAN_UPDATE_POLICY, "'" + text + "' is not an "
        + "update policy: set " + Parameter.DEBIAN_UPDATE_POLICY + " to always, daily, "
        + "interval:MINUTES "
        + "(for example interval:60) or never");
  }

  /**
   * Whether a file last checked at {@code checked} is to be checked again at {@code now}
   * ({@code daily}: when it was last checked before today's midnight in {@code zone}).
   */
  public boolean due(Instant checked, Instant now, ZoneId zone) {
    if (checked == null || checked.isAfter(now)) {
      return kind != Kind.NEVER;
    }
    return switch (kind) {
      case ALWAYS -> true;
      case NEVER -> false;
      case INTERVAL -> !checked.plus(interval).isAfter(now);
      case DAILY -> checked.isBefore(LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant());
    };
  }

  /**
   * When a file last checked at {@code checked} becomes due for a check: at once for {@code
   * always}, never for {@code never}.
   */
  public Instant nextDue(Instant checked, ZoneId zone) {
    if (checked == null) {
      return kind == Kind.NEVER ? Instant.MAX : Instant.MIN;
    }
    return switch (kind) {
      case ALWAYS -> Instant.MIN;
      case NEVER -> Instant.MAX;
      case INTERVAL -> checked.plus(interval);
      case DAILY -> LocalDate.ofInstant(checked, zone).plusDays(1).atStartOfDay(zone).toInstant();
    };
  }

  @Override
  public String toString() {
    return kind == Kind.INTERVAL ? "interval:" + interval.toMinutes()
        : kind.name().toLowerCase(Locale.ROOT);
  }
}
