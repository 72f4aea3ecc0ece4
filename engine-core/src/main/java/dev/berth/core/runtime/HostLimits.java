package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this engine process may hand on to a container: its hard resource limits and its
 * capability bounding set. Without CAP_SYS_RESOURCE a container cannot get a higher hard limit,
 * and a capability outside the bounding set makes the runtime fail with EPERM.
 *
 * @param hardLimits hard limit by OCI rlimit type; {@link DockerDefaults.Rlimit#UNLIMITED} for unlimited
 */
public record HostLimits(Map<String, Long> hardLimits, List<String> boundingSet) {

  // /proc/self/limits row titles, in the kernel's order (fs/proc/base.c lnames).
  private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(
      Map.entry("Max cpu time", "RLIMIT_CPU"),
      Map.entry("Max file size", "RLIMIT_FSIZE"),
      Map.entry("Max data size", "RLIMIT_DATA"),
      Map.entry("Max stack size", "RLIMIT_STACK"),
      Map.entry("Max core file size", "RLIMIT_CORE"),
      Map.entry("Max resident set", "RLIMIT_RSS"),
      Map.entry("Max processes", "RLIMIT_NPROC"),
      Map.entry("Max open files", "RLIMIT_NOFILE"),
      Map.entry("Max locked memory", "RLIMIT_MEMLOCK"),
      Map.entry("Max address space", "RLIMIT_AS"),
      Map.entry("Max file locks", "RLIMIT_LOCKS"),
      Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
      Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"),
      Map.entry("Max nice priority", "RLIMIT_NICE"),
      Map.entry("Max realtime priority", "RLIMIT_RTPRIO"),
      Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

  public HostLimits {
    hardLimits = Map.copyOf(hardLimits);
    boundingSet = List.copyOf(boundingSet);
  }

  /** This process's limits, read from /proc/self. */
  public static HostLimits current() {
    try {
      return new HostLimits(parseLimits(Files.readString(Path.of("/proc/self/limits"))),
          parseBoundingSet(Files.readString(Path.of("/proc/self/status"))));
    } catch (IOException e) {
      throw new InternalException("cannot read this process's limits: " + e.getMessage(), e);
    }
  }

  /** The hard limit for {@code type}, unlimited if unknown. */
  public long hardLimit(String type) {
    return hardLimits.getOrDefault(type, DockerDefaults.Rlimit.UNLIMITED);
  }

  static Map<String, Long> parseLimits(String text) {
    var limits = new HashMap<String, Long>();
    for (String line : text.split("\n")) {
      for (var e : LIMIT_NAMES.entrySet()) {
        if (line.startsWith(e.getKey() + " ")) {
          // Columns after the title: soft, hard, [units]; the title itself has spaces.
          String[] cols = line.substring(e.getKey().length()).trim().split("\\s+");
          limits.put(e.getValue(), cols[1].equals("unlimited") ? DockerDefaults.Rlimit.UNLIMITED : Long.parseLong(cols[1]));
        }
      }
    }
    return limits;
  }

  static List<String> parseBoundingSet(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("CapBnd:")) {
        return Capabilities.fromMask(Long.parseUnsignedLong(line.substring(7).trim(), 16));
      }
    }
    throw new InternalException("no CapBnd in /proc/self/status");
  }
}
