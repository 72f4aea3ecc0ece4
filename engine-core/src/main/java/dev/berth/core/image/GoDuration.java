package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's time.Duration as text: parsed from HEALTHCHECK flags (of a Dockerfile and of
 * {@code commit --change}), printed in a build step's history.
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * Go's time.ParseDuration, in nanoseconds.
   *
   * @throws InvalidArgumentException {@code time: invalid duration "x"}
   */
  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double total = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos && !m.group(1).isEmpty() && !m.group(1).equals(".")) {
      double n = Double.parseDouble(m.group(1));
      total += n * switch (m.group(2)) {
        case "ns" -> 1d;
        case "us", "µs", "μs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      pos = m.end();
    }
    if (pos != s.length() || s.isEmpty()) {
      throw new InvalidArgumentException("time: invalid duration \"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
          + "\"");
    }
    return Math.round(total);
  }

  /** Whole units as Go prints them: {@code 0s}, {@code 30s}, {@code 1m30s}, {@code 1h0m0s}, {@code 500ms}. */
  public static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000_000_000L) {
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      if (nanos % 1_000 == 0) {
        return nanos / 1_000 + "µs";
      }
      return nanos + "ns";
    }
    long secs = nanos / 1_000_000_000L;
    long frac = nanos % 1_000_000_000L;
    String s = frac == 0 ? Long.toString(secs % 60)
        : (secs % 60) + ("." + String.format("%09d", frac)).replaceAll("0+$", "");
    long mins = secs / 60;
    if (mins == 0) {
      return s + "s";
    }
    long hours = mins / 60;
    if (hours == 0) {
      return mins + "m" + s + "s";
    }
    return hours + "h" + (mins % 60) + "m" + s + "s";
  }
}
