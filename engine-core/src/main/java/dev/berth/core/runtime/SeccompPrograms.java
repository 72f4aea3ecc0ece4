package dev.berth.core.runtime;

import dev.berth.core.os.ContainerSpawn.SeccompProgram;
import dev.berth.core.os.SeccompBpf;
import dev.berth.core.seccomp.Seccomp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled seccomp filters for exec processes, by filter. Containers made from the same profile
 * with the same capabilities share one filter, so a handful of programs serve every exec; each is
 * compiled (through libseccomp, about a millisecond) on first use and kept, the least recently
 * used dropped past {@link #KEPT}.
 */
final class SeccompPrograms {

  private static final int KEPT = 32;

  private final Map<Seccomp, SeccompProgram> programs = new LinkedHashMap<>(KEPT, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Seccomp, SeccompProgram> eldest) {
      return size() > KEPT;
    }
  };

  synchronized boolean compiled(Seccomp filter) {
    return programs.containsKey(filter);
  }

  synchronized SeccompProgram program(Seccomp filter) {
    return programs.computeIfAbsent(filter,
        f -> new SeccompProgram(SeccompBpf.loadFlags(f), SeccompBpf.compile(f)));
  }
}
