package dev.berth.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Which container limits this host's cgroups can apply, decided as dockerd's {@code pkg/sysinfo}
 * decides: on cgroup v1 by the control files of each controller's hierarchy, on a pure cgroup v2
 * host by the controllers the root offers (v2 has no OOM-killer switch, no swappiness and no
 * real-time scheduler files). A hybrid host counts as v1: its controllers are v1 hierarchies.
 */
public record CgroupSupport(
    boolean memoryLimit,
    boolean swapLimit,
    boolean memoryReservation,
    boolean oomKillDisable,
    boolean memorySwappiness,
    boolean pidsLimit,
    boolean cpuShares,
    boolean cpuCfs,
    boolean cpuRealtime,
    boolean cpuset,
    boolean blkioWeight,
    boolean blkioWeightDevice,
    boolean blkioReadBpsDevice,
    boolean blkioWriteBpsDevice,
    boolean blkioReadIOpsDevice,
    boolean blkioWriteIOpsDevice,
    boolean kernelMemoryTcp) {

  /** Every limit supported (for tests and fakes). */
  public static final CgroupSupport ALL =
      new CgroupSupport(true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
          true);

  /** This host's, read from /sys/fs/cgroup. */
  public static CgroupSupport detect() {
    return detect(Path.of("/sys/fs/cgroup"));
  }

  static CgroupSupport detect(Path root) {
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      return unified(root);
    }
    Path memory = root.resolve("memory");
    Path cpu = root.resolve("cpu");
    Path blkio = root.resolve("blkio");
    boolean hasMemory = Files.isDirectory(memory);
    return new CgroupSupport(
        hasMemory,
        Files.exists(memory.resolve("memory.memsw.limit_in_bytes")),
        Files.exists(memory.resolve("memory.soft_limit_in_bytes")),
        Files.exists(memory.resolve("memory.oom_control")),
        Files.exists(memory.resolve("memory.swappiness")),
        Files.isDirectory(root.resolve("pids")),
        Files.exists(cpu.resolve("cpu.shares")),
        Files.exists(cpu.resolve("cpu.cfs_quota_us")),
        Files.exists(cpu.resolve("cpu.rt_period_us")),
        Files.isDirectory(root.resolve("cpuset")),
        Files.exists(blkio.resolve("blkio.weight")),
        Files.exists(blkio.resolve("blkio.weight_device")),
        Files.exists(blkio.resolve("blkio.throttle.read_bps_device")),
        Files.exists(blkio.resolve("blkio.throttle.write_bps_device")),
        Files.exists(blkio.resolve("blkio.throttle.read_iops_device")),
        Files.exists(blkio.resolve("blkio.throttle.write_iops_device")),
        Files.exists(memory.resolve("memory.kmem.tcp.limit_in_bytes")));
  }

  private static CgroupSupport unified(Path root) {
    Set<String> controllers;
    try {
      controllers = Set.of(Files.readString(root.resolve("cgroup.controllers")).strip().split("\\s+"));
    } catch (IOException e) {
      controllers = Set.of();
    }
    boolean memory = controllers.contains("memory");
    boolean cpu = controllers.contains("cpu");
    boolean io = controllers.contains("io");
    // moby getSwapLimitV2 looks for memory.swap.max beside its own cgroup; a child of the root has
    // it whenever swap accounting is on, and the root's own children show it.
    boolean swap = memory && swapAccounting(root);
    return new CgroupSupport(memory, swap, memory, false, false, controllers.contains("pids"), cpu, cpu, false,
        controllers.contains("cpuset"), io, io, io, io, io, io, false);
  }

  private static boolean swapAccounting(Path root) {
    try (var children = Files.list(root)) {
      return children.anyMatch(d -> Files.exists(d.resolve("memory.swap.max")));
    } catch (IOException e) {
      return false;
    }
  }
}
