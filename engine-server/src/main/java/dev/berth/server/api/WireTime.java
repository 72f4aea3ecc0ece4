package dev.berth.server.api;

import java.time.Instant;

/** Times as dockerd writes them: Go's RFC3339Nano, in UTC, trailing zeros of the fraction trimmed. */
public final class WireTime {

  private WireTime() {}

  /**
   * A time as clients send {@code since}/{@code until}: Unix seconds with an optional fraction
   * ({@code 1700000000.123456789}); empty or 0 means unset.
   */
  public static Instant parseUnix(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      int dot = s.indexOf('.');
      long secs = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
      long nanos = 0;
      if (dot >= 0) {
        nanos = Long.parseLong((s.substring(dot + 1) + "000000000").substring(0, 9));
      }
      return secs == 0 && nanos == 0 ? null : Instant.ofEpochSecond(secs, nanos);
    } catch (NumberFormatException e) {
      throw new dev.berth.core.error.InvalidArgumentException("invalid value for time: " + s);
    }
  }

  public static String format(Instant t) {
    String s = t.toString();
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    String frac = s.substring(dot + 1, s.length() - 1).replaceAll("0+$", "");
    return s.substring(0, dot) + (frac.isEmpty() ? "" : "." + frac) + "Z";
  }
}
