package dev.berth.core.runtime;

import java.util.List;

/**
 * What dockerd puts in every container's OCI spec unless told otherwise (moby
 * daemon/pkg/oci/defaults.go and oci/caps/defaults.go, Docker 28 / API 1.51). Kept as data so
 * callers computing a capability set (cap-add, cap-drop) start from the same list.
 */
public final class DockerDefaults {

  /** Docker's default capability set; {@code --cap-add}/{@code --cap-drop} edit this list. */
  public static final List<String> CAPABILITIES = List.of(
      "CAP_CHOWN",
      "CAP_DAC_OVERRIDE",
      "CAP_FSETID",
      "CAP_FOWNER",
      "CAP_MKNOD",
      "CAP_NET_RAW",
      "CAP_SETGID",
      "CAP_SETUID",
      "CAP_SETFCAP",
      "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT",
      "CAP_KILL",
      "CAP_AUDIT_WRITE");

  /**
   * Hidden from unprivileged containers. Docker 28 also masks /proc/interrupts and each CPU's
   * thermal_throttle (GHSA-6fw5-f8r9-fgfm) and powercap (GHSA-jq35-85cj-fj4p).
   */
  public static final List<String> MASKED_PATHS = List.of(
      "/proc/acpi",
      "/proc/asound",
      "/proc/interrupts",
      "/proc/kcore",
      "/proc/keys",
      "/proc/latency_stats",
      "/proc/sched_debug",
      "/proc/scsi",
      "/proc/timer_list",
      "/proc/timer_stats",
      "/sys/devices/virtual/powercap",
      "/sys/firmware");

  /**
   * What dockerd masks when a container names no paths: {@link #MASKED_PATHS} and, as Docker 28
   * does, each CPU's thermal_throttle directory where the host has one.
   */
  public static List<String> maskedPaths() {
    // Scanned again only when the set of present CPUs changes (hotplug); every inspect asks.
    String present;
    try {
      present = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/present")).trim();
    } catch (java.io.IOException e) {
      present = "";
    }
    Masked last = masked;
    if (last != null && last.present().equals(present)) {
      return last.paths();
    }
    List<String> paths = scanMaskedPaths();
    masked = new Masked(present, paths);
    return paths;
  }

  private record Masked(String present, List<String> paths) {}

  private static volatile Masked masked;

  private static List<String> scanMaskedPaths() {
    var paths = new java.util.ArrayList<>(MASKED_PATHS);
    try (var cpus = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/sys/devices/system/cpu"),
        "cpu[0-9]*")) {
      for (var cpu : cpus) {
        if (java.nio.file.Files.isDirectory(cpu.resolve("thermal_throttle"))) {
          paths.add(cpu.resolve("thermal_throttle").toString());
        }
      }
    } catch (java.io.IOException e) {
      // No sysfs CPU list: nothing more to mask.
    }
    return List.copyOf(paths);
  }

  public static final List<String> READONLY_PATHS = List.of(
      "/proc/bus",
      "/proc/fs",
      "/proc/irq",
      "/proc/sys",
      "/proc/sysrq-trigger");

  /** /dev/shm's size when the container sets none (Docker's {@code --shm-size} default, 64 MiB). */
  public static final long SHM_SIZE = 64L * 1024 * 1024;

  /** A container's IPC mode when it sets none: dockerd's {@code default-ipc-mode} default since 18.09. */
  public static final String IPC_MODE = "private";

  /**
   * Resource limits a container gets under dockerd's systemd unit (LimitNOFILE=infinity and
   * LimitNPROC=infinity, which the kernel caps at fs.nr_open = 1048576 for files). The spec builder
   * lowers them to this host's hard limits, since raising a hard limit needs CAP_SYS_RESOURCE.
   */
  public static final List<Rlimit> RLIMITS = List.of(
      new Rlimit("RLIMIT_NOFILE", 1048576, 1048576),
      new Rlimit("RLIMIT_NPROC", Rlimit.UNLIMITED, Rlimit.UNLIMITED));

  /**
   * Device cgroup rules after deny-all: the character devices every container may use (null, zero,
   * full, random, urandom, tty, console) and fuse explicitly denied. runc adds its own defaults.
   */
  public static final List<DeviceRule> DEVICE_RULES = List.of(
      DeviceRule.denyAll(),
      DeviceRule.allowChar(1, 5),
      DeviceRule.allowChar(1, 3),
      DeviceRule.allowChar(1, 9),
      DeviceRule.allowChar(1, 8),
      DeviceRule.allowChar(5, 0),
      DeviceRule.allowChar(5, 1),
      new DeviceRule(false, "c", 10L, 229L, "rwm"));

  private DockerDefaults() {}

  /** A POSIX resource limit as the OCI spec names it; {@link #UNLIMITED} is RLIM_INFINITY. */
  public record Rlimit(String type, long soft, long hard) {
    public static final long UNLIMITED = -1;

    /** Both limits lowered to {@code maxHard} (where that is not unlimited). */
    public Rlimit clampTo(long maxHard) {
      if (maxHard == UNLIMITED) {
        return this;
      }
      return new Rlimit(type, lower(soft, maxHard), lower(hard, maxHard));
    }

    private static long lower(long value, long max) {
      return value == UNLIMITED || Long.compareUnsigned(value, max) > 0 ? max : value;
    }
  }

  /** One linux.resources.devices entry; null major/minor mean any. */
  public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    public static DeviceRule denyAll() {
      return new DeviceRule(false, null, null, null, "rwm");
    }

    public static DeviceRule allowAll() {
      return new DeviceRule(true, null, null, null, "rwm");
    }

    static DeviceRule allowChar(long major, long minor) {
      return new DeviceRule(true, "c", major, minor, "rwm");
    }
  }
}
