package dev.berth.core.container.model;

import java.util.List;
import java.util.Map;

/**
 * A container's resource use read from its cgroups at one moment.
 *
 * @param cpuTotalNanos CPU time used by all its tasks
 * @param perCpuNanos the same per CPU, where the kernel reports it (cgroup v1 cpuacct)
 * @param memoryLimit bytes, or -1 when unlimited
 * @param memoryStats memory.stat as the kernel lists it
 * @param pidsLimit -1 when unlimited
 * @param blockIo block I/O per device, as the kernel counts it for the container's cgroup
 */
public record CgroupStats(
    long cpuTotalNanos,
    long cpuUserNanos,
    long cpuSystemNanos,
    List<Long> perCpuNanos,
    long throttledPeriods,
    long throttledTimeNanos,
    long periods,
    long memoryUsage,
    long memoryMaxUsage,
    long memoryLimit,
    Map<String, Long> memoryStats,
    long pidsCurrent,
    long pidsLimit,
    BlockIo blockIo) {

  public CgroupStats {
    perCpuNanos = List.copyOf(perCpuNanos);
    memoryStats = Map.copyOf(memoryStats);
    java.util.Objects.requireNonNull(blockIo, "blockIo");
  }

  /**
   * Block I/O counters of one cgroup version. On v1 (blkio) both lists, with the kernel's operation
   * names (Read, Write, Sync, Async, Discard, Total); on v2 (io.stat) only bytes, as read and write.
   *
   * @param v1 whether these are v1 blkio counters (else v2 io.stat, or none at all)
   */
  public record BlockIo(boolean v1, List<Entry> serviceBytes, List<Entry> serviced) {

    /** No block I/O controller: nothing counted. */
    public static final BlockIo NONE = new BlockIo(false, List.of(), List.of());

    public BlockIo {
      serviceBytes = List.copyOf(serviceBytes);
      serviced = List.copyOf(serviced);
    }

    /** One counter: an operation on the device {@code major:minor}. */
    public record Entry(long major, long minor, String op, long value) {

      public Entry {
        java.util.Objects.requireNonNull(op, "op");
      }
    }
  }
}
