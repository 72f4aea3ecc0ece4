package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;

/**
 * Cgroup limits of a container, with Docker's meaning (HostConfig of API 1.51). Null means unset
 * at create and unchanged at update; Docker's 0 for "unset" is taken as null.
 *
 * <p>What one record can check it checks, with dockerd's words (moby
 * {@code verifyPlatformContainerResources}): those are the messages the docker CLI prints. Rules
 * that need the container's current limits (a new memory limit above the swap limit already set)
 * or the host (CPUs available, swap accounting) are the caller's.
 *
 * @param memory bytes, at least 6 MiB
 * @param memorySwap memory plus swap in bytes, at least {@code memory}; -1 for unlimited swap
 * @param memoryReservation soft limit in bytes, at least 6 MiB and at most {@code memory}
 * @param cpuShares relative weight (the kernel clamps it to 2..262144)
 * @param cpuPeriod CFS period in microseconds, 1000..1000000
 * @param cpuQuota CFS quota in microseconds per period, at least 1000; -1 for none
 * @param nanoCpus CPUs in units of 10<sup>-9</sup> ({@code --cpus}); excludes period and quota
 * @param cpusetCpus CPUs the container may run on, e.g. {@code 0-2,4}
 * @param cpusetMems memory nodes it may use
 * @param pidsLimit at most this many tasks; -1 for unlimited (Docker's 0 and below)
 */
public record Resources(
    Long memory,
    Long memorySwap,
    Long memoryReservation,
    Long cpuShares,
    Long cpuPeriod,
    Long cpuQuota,
    Long nanoCpus,
    String cpusetCpus,
    String cpusetMems,
    Long pidsLimit) {

  /** Nothing set: the runtime's defaults at create, no change at update. */
  public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null, null, null);

  /** The period {@code --cpus} uses: 100 ms, so a quota is CPUs times 100000 µs. */
  public static final long NANO_CPUS_PERIOD = 100_000;

  private static final long MIN_MEMORY = 6L * 1024 * 1024;

  public Resources {
    memory = unsetIfZero(memory);
    memorySwap = unsetIfZero(memorySwap);
    memoryReservation = unsetIfZero(memoryReservation);
    cpuShares = unsetIfZero(cpuShares);
    cpuPeriod = unsetIfZero(cpuPeriod);
    cpuQuota = unsetIfZero(cpuQuota);
    nanoCpus = unsetIfZero(nanoCpus);
    cpusetCpus = cpusetCpus == null || cpusetCpus.isEmpty() ? null : cpusetCpus;
    cpusetMems = cpusetMems == null || cpusetMems.isEmpty() ? null : cpusetMems;
    // Docker takes 0 and below as "no limit"; runc needs -1 to lift a limit already set.
    pidsLimit = pidsLimit == null ? null : pidsLimit > 0 ? pidsLimit : -1L;

    if (memory != null && memory < MIN_MEMORY) {
      throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
    }
    if (memorySwap != null && memorySwap < -1) {
      throw new InvalidArgumentException("invalid memory swap limit " + memorySwap + ": use -1 for unlimited swap");
    }
    if (memory != null && memorySwap != null && memorySwap > 0 && memorySwap < memory) {
      throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
    }
    if (memoryReservation != null && memoryReservation < MIN_MEMORY) {
      throw new InvalidArgumentException("Minimum memory reservation allowed is 6MB");
    }
    if (memory != null && memoryReservation != null && memory < memoryReservation) {
      throw new InvalidArgumentException(
          "Minimum memory limit can not be less than memory reservation limit, see usage");
    }
    if (cpuShares != null && cpuShares < 0) {
      throw new InvalidArgumentException("invalid CPU shares (" + cpuShares + "): value must be a positive integer");
    }
    if (nanoCpus != null && cpuPeriod != null) {
      throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
    }
    if (nanoCpus != null && cpuQuota != null) {
      throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
    }
    if (nanoCpus != null && nanoCpus < 0) {
      throw new InvalidArgumentException("invalid number of CPUs: " + nanoCpus + " (nano CPUs must be positive)");
    }
    if (nanoCpus != null && nanoCpus * NANO_CPUS_PERIOD / 1_000_000_000L < 1000) {
      // The kernel's least quota is 1 ms; dockerd leaves this to the runtime, whose error is obscure.
      throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }
    if (cpuPeriod != null && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) {
      throw new InvalidArgumentException(
          "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
    }
    if (cpuQuota != null && cpuQuota != -1 && cpuQuota < 1000) {
      throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }
  }

  /** Only a memory limit. */
  public static Resources memory(long bytes) {
    return new Resources(bytes, null, null, null, null, null, null, null, null, null);
  }

  /** These limits with every field {@code change} sets replacing ours, as an update applies them. */
  public Resources with(Resources change) {
    return new Resources(pick(change.memory, memory), pick(change.memorySwap, memorySwap),
        pick(change.memoryReservation, memoryReservation), pick(change.cpuShares, cpuShares),
        // --cpus and period/quota exclude each other: setting one kind clears the other.
        change.nanoCpus != null ? null : pick(change.cpuPeriod, cpuPeriod),
        change.nanoCpus != null ? null : pick(change.cpuQuota, cpuQuota),
        change.cpuPeriod != null || change.cpuQuota != null ? null : pick(change.nanoCpus, nanoCpus),
        pick(change.cpusetCpus, cpusetCpus), pick(change.cpusetMems, cpusetMems), pick(change.pidsLimit, pidsLimit));
  }

  private static <T> T pick(T changed, T current) {
    return changed != null ? changed : current;
  }

  /**
   * dockerd's default at create: a memory limit without a swap limit gets swap twice the memory
   * (moby {@code adaptContainerSettings}). Not applied at update, where unset means unchanged.
   */
  public Resources withDefaultSwap() {
    if (memory == null || memorySwap != null) {
      return this;
    }
    return new Resources(memory, memory * 2, memoryReservation, cpuShares, cpuPeriod, cpuQuota, nanoCpus, cpusetCpus,
        cpusetMems, pidsLimit);
  }

  /** The CFS quota to apply: from {@code nanoCpus} when set (CPUs × 100000 µs), else {@code cpuQuota}. */
  public Long effectiveCpuQuota() {
    if (nanoCpus == null) {
      return cpuQuota;
    }
    return nanoCpus * NANO_CPUS_PERIOD / 1_000_000_000L;
  }

  /** The CFS period to apply: 100000 µs with {@code nanoCpus}, else {@code cpuPeriod}. */
  public Long effectiveCpuPeriod() {
    return nanoCpus == null ? cpuPeriod : Long.valueOf(NANO_CPUS_PERIOD);
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  private static Long unsetIfZero(Long value) {
    return value == null || value == 0 ? null : value;
  }
}
