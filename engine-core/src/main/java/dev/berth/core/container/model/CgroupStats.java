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
    long pidsLimit) {

  public CgroupStats {
    perCpuNanos = List.copyOf(perCpuNanos);
    memoryStats = Map.copyOf(memoryStats);
  }
}
