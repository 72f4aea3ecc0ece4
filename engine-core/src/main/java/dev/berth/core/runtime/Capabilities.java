package dev.berth.core.runtime;

import java.util.ArrayList;
import java.util.List;

/** Linux capability names by bit number, as the OCI spec spells them. */
public final class Capabilities {

  // Bit n of a capability mask is NAMES.get(n) (linux/capability.h, up to CAP_CHECKPOINT_RESTORE).
  private static final List<String> NAMES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
      "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
      "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
      "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
      "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
      "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
      "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");

  private Capabilities() {}

  public static boolean isKnown(String name) {
    return NAMES.contains(name);
  }

  /** The mask with the bits of the named capabilities set; unknown names are left out. */
  static long toMask(List<String> names) {
    long mask = 0;
    for (String name : names) {
      int bit = NAMES.indexOf(name);
      if (bit >= 0) {
        mask |= 1L << bit;
      }
    }
    return mask;
  }

  /** The named capabilities whose bits are set; bits newer than this table are left out. */
  static List<String> fromMask(long mask) {
    var names = new ArrayList<String>();
    for (int bit = 0; bit < NAMES.size(); bit++) {
      if ((mask & (1L << bit)) != 0) {
        names.add(NAMES.get(bit));
      }
    }
    return List.copyOf(names);
  }
}
