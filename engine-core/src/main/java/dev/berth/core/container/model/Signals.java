package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers, parsed the way dockerd parses them (TERM, SIGTERM, 15). */
public final class Signals {

  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  private static final Map<String, Integer> BY_NAME = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
      Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
      Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
      Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
      Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
      Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
      Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
      Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
      Map.entry("SYS", 31));
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private Signals() {}

  /** @throws InvalidArgumentException {@code invalid signal: X}, moby/sys/signal's wording (lowercase in Docker 24+) */
  public static int parse(String s) {
    String v = s.trim();
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > SIGRTMAX) {
        throw new InvalidArgumentException("invalid signal: " + s);
      }
      return n;
    } catch (NumberFormatException e) {
      // a name
    }
    String name = v.toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    Integer n = BY_NAME.get(name);
    if (n != null) {
      return n;
    }
    if (name.startsWith("RTMIN") || name.startsWith("RTMAX")) {
      int base = name.startsWith("RTMIN") ? SIGRTMIN : SIGRTMAX;
      String rest = name.substring(5);
      try {
        int off = rest.isEmpty() ? 0 : Integer.parseInt(rest);
        int sig = base + off;
        if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
          return sig;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new InvalidArgumentException("invalid signal: " + s);
  }
}
