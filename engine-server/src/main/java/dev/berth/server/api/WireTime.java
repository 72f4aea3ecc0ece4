package dev.berth.server.api;

import java.time.Instant;

/** Times as dockerd writes them: Go's RFC3339Nano, in UTC, trailing zeros of the fraction trimmed. */
public final class WireTime {

  private WireTime() {}

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
