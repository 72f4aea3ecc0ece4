package dev.berth.server.api;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.prune.PruneFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code filters} of the prune endpoints: label, label! and until (moby getUntilFromPruneFilters). */
public final class PruneFilters {

  private static final Pattern UNIX = Pattern.compile("-?\\d+(\\.\\d{1,9})?");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?)(ns|us|µs|ms|s|m|h)");

  private PruneFilters() {}

  /** @param allowed the keys this endpoint takes; others are {@code invalid filter 'k'} */
  public static PruneFilter parse(Filters f, Set<String> allowed, Instant now) {
    f.only(allowed);
    List<String> until = f.get("until");
    if (until.size() > 1) {
      throw new InvalidArgumentException("more than one until filter specified");
    }
    return new PruneFilter(f.get("label"), f.get("label!"), until.isEmpty() ? null : time(until.getFirst(), now));
  }

  /**
   * moby api/types/time {@code GetTimestamp}: a Go duration before {@code now} ({@code 24h}),
   * Unix seconds with an optional fraction, or an RFC 3339 date or time (UTC when no zone).
   */
  static Instant time(String value, Instant now) {
    Duration d = goDuration(value);
    if (d != null) {
      return now.minus(d);
    }
    if (UNIX.matcher(value).matches()) {
      int dot = value.indexOf('.');
      long secs = Long.parseLong(dot < 0 ? value : value.substring(0, dot));
      long nanos = dot < 0 ? 0 : Long.parseLong((value.substring(dot + 1) + "000000000").substring(0, 9));
      return Instant.ofEpochSecond(secs, nanos);
    }
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (value.endsWith("Z") || value.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return OffsetDateTime.parse(value).toInstant();
      }
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException("failed to parse value as time or duration: \"" + value + "\"");
    }
  }

  private static Duration goDuration(String s) {
    if (s.isEmpty() || !Character.isDigit(s.charAt(0))) {
      return null;
    }
    Matcher m = DURATION_PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos += (long) (n * unit);
      end = m.end();
    }
    return end == s.length() && end > 0 ? Duration.ofNanos(nanos) : null;
  }
}
