package dev.berth.core.image;

import java.util.HashSet;
import java.util.Set;

/** Linux signal names without "SIG", as moby's signal.SignalMap knows them. */
public final class SignalNames {

  static final Set<String> LINUX = names();

  private SignalNames() {}

  /** moby's signal.ParseSignal: a number other than 0, or a name (with or without "SIG", any case) it knows. */
  public static boolean valid(String raw) {
    try {
      return Integer.parseInt(raw) != 0;
    } catch (NumberFormatException e) {
      String name = raw.toUpperCase(java.util.Locale.ROOT);
      return LINUX.contains(name.startsWith("SIG") ? name.substring(3) : name);
    }
  }

  private static Set<String> names() {
    var s = new HashSet<>(Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO",
        "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP",
        "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "UNUSED", "RTMIN",
        "RTMAX"));
    for (int i = 1; i <= 15; i++) {
      s.add("RTMIN+" + i);
      s.add("RTMAX-" + i);
    }
    return Set.copyOf(s);
  }
}
