package dev.berth.core.build;

import dev.berth.core.error.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's time.Duration text: parsed from HEALTHCHECK flags, printed in the step's history. */
final class GoDuration {

  private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  private GoDuration() {}

  static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double total = 0;
    while (pos < s.length() && m.find(pos) && m.start() == pos && !m.group(1).isEmpty()) {
      double v = Double.parseDouble(m.group(1));
      total += v * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs", "μs" -> 1_000;
        case "ms" -> 1_000_000;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      pos = m.end();
    }
    if (pos != s.length() || s.isEmpty()) {
      throw new InvalidArgumentException("time: invalid duration " + GoQuote.quote(s));
    }
    return (long) total;
  }

  /** Whole units as Go prints them: {@code 0s}, {@code 30s}, {@code 1m30s}, {@code 1h0m0s}, {@code 500ms}. */
  static String format(long nanos) {
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
