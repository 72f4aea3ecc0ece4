package dev.berth.core.image;

import java.util.HashSet;
import java.util.Set;

/** Linux signal names without "SIG", as moby's signal.SignalMap knows them. */
final class SignalNames {

  static final Set<String> LINUX = names();

  private SignalNames() {}

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
