package dev.berth.core.container.model;

import dev.berth.core.config.CgroupSupport;
import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cgroup limits of a container, with Docker's meaning (HostConfig of API 1.51). Null means unset
 * at create and unchanged at update; Docker's 0 for "unset" is taken as null.
 *
 * <p>What one record can check it checks, with dockerd's words (moby
 * {@code verifyPlatformContainerResources}): those are the messages the docker CLI prints. Rules
 * that need the container's current limits (a new memory limit above the swap limit already set)
 * are the caller's; what the host's cgroups cannot apply {@link #adaptTo} discards with dockerd's
 * warning.
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
 * @param oomKillDisable true to keep the OOM killer off the container (cgroup v1 only)
 * @param memorySwappiness 0..100 (cgroup v1 only); Docker's -1 is unset
 * @param blkioWeight relative block I/O weight, 10..1000
 * @param blkioWeightDevice per-device weights, by device path
 * @param blkioDeviceReadBps read limits in bytes per second, by device path
 * @param blkioDeviceWriteBps write limits in bytes per second, by device path
 * @param blkioDeviceReadIOps read limits in operations per second, by device path
 * @param blkioDeviceWriteIOps write limits in operations per second, by device path
 * @param cpuRealtimePeriod real-time scheduler period in microseconds (cgroup v1 only)
 * @param cpuRealtimeRuntime real-time runtime per period in microseconds, at most the period
 * @param cpuPercent Windows' CPU percent: dockerd on Linux warns and discards it ({@link #adaptTo}),
 *     so it is never kept
 * @param kernelMemoryTcp hard limit of kernel TCP buffer memory in bytes (cgroup v1 only)
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
    Long pidsLimit,
    Boolean oomKillDisable,
    Long memorySwappiness,
    Integer blkioWeight,
    List<WeightDevice> blkioWeightDevice,
    List<ThrottleDevice> blkioDeviceReadBps,
    List<ThrottleDevice> blkioDeviceWriteBps,
    List<ThrottleDevice> blkioDeviceReadIOps,
    List<ThrottleDevice> blkioDeviceWriteIOps,
    Long cpuRealtimePeriod,
    Long cpuRealtimeRuntime,
    Long cpuPercent,
    Long kernelMemoryTcp) {

  /** Nothing set: the runtime's defaults at create, no change at update. */
  public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null, null, null);

  /** A block device's weight ({@code --blkio-weight-device /dev/sda:200}). */
  public record WeightDevice(String path, int weight) {
    public WeightDevice {
      if (path == null || path.isEmpty()) {
        throw new InvalidArgumentException("invalid BlkioWeightDevice: a device path is required");
      }
    }
  }

  /** A block device's rate limit ({@code --device-read-bps /dev/sda:1mb}): bytes or operations per second. */
  public record ThrottleDevice(String path, long rate) {
    public ThrottleDevice {
      if (path == null || path.isEmpty()) {
        throw new InvalidArgumentException("invalid throttle device: a device path is required");
      }
      if (rate < 0) {
        throw new InvalidArgumentException("invalid rate for device " + path + ": " + rate);
      }
    }
  }

  /** These limits as dockerd keeps them on this host, and the warnings it gives for what it dropped. */
  public record Adapted(Resources resources, List<String> warnings) {
    public Adapted {
      warnings = List.copyOf(warnings);
    }
  }

  /** The limits of API clients that know only memory, CPU and pids. */
  public Resources(Long memory, Long memorySwap, Long memoryReservation, Long cpuShares, Long cpuPeriod, Long cpuQuota,
      Long nanoCpus, String cpusetCpus, String cpusetMems, Long pidsLimit) {
    this(memory, memorySwap, memoryReservation, cpuShares, cpuPeriod, cpuQuota, nanoCpus, cpusetCpus, cpusetMems,
        pidsLimit, null, null, null, null, null, null, null, null, null, null, null, null);
  }

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
    // The CLI sends -1 to mean "unset" (moby fixMemorySwappiness).
    memorySwappiness = memorySwappiness == null || memorySwappiness == -1 ? null : memorySwappiness;
    blkioWeight = blkioWeight == null || blkioWeight == 0 ? null : blkioWeight;
    blkioWeightDevice = unsetIfEmpty(blkioWeightDevice);
    blkioDeviceReadBps = unsetIfEmpty(blkioDeviceReadBps);
    blkioDeviceWriteBps = unsetIfEmpty(blkioDeviceWriteBps);
    blkioDeviceReadIOps = unsetIfEmpty(blkioDeviceReadIOps);
    blkioDeviceWriteIOps = unsetIfEmpty(blkioDeviceWriteIOps);
    cpuRealtimePeriod = unsetIfZero(cpuRealtimePeriod);
    cpuRealtimeRuntime = unsetIfZero(cpuRealtimeRuntime);
    cpuPercent = unsetIfZero(cpuPercent);
    kernelMemoryTcp = unsetIfZero(kernelMemoryTcp);

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
    if (memorySwappiness != null && (memorySwappiness < 0 || memorySwappiness > 100)) {
      throw new InvalidArgumentException(
          "Invalid value: " + memorySwappiness + ", valid memory swappiness range is 0-100");
    }
    if (blkioWeight != null && (blkioWeight < 10 || blkioWeight > 1000)) {
      throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
    }
    // moby runconfig validateResources.
    if (cpuRealtimePeriod != null && cpuRealtimeRuntime != null && cpuRealtimeRuntime > cpuRealtimePeriod) {
      throw new InvalidArgumentException("cpu real-time runtime cannot be higher than cpu real-time period");
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
        pick(change.cpusetCpus, cpusetCpus), pick(change.cpusetMems, cpusetMems), pick(change.pidsLimit, pidsLimit),
        pick(change.oomKillDisable, oomKillDisable), pick(change.memorySwappiness, memorySwappiness),
        pick(change.blkioWeight, blkioWeight), pick(change.blkioWeightDevice, blkioWeightDevice),
        pick(change.blkioDeviceReadBps, blkioDeviceReadBps), pick(change.blkioDeviceWriteBps, blkioDeviceWriteBps),
        pick(change.blkioDeviceReadIOps, blkioDeviceReadIOps), pick(change.blkioDeviceWriteIOps, blkioDeviceWriteIOps),
        pick(change.cpuRealtimePeriod, cpuRealtimePeriod), pick(change.cpuRealtimeRuntime, cpuRealtimeRuntime), null,
        pick(change.kernelMemoryTcp, kernelMemoryTcp));
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
        cpusetMems, pidsLimit, oomKillDisable, memorySwappiness, blkioWeight, blkioWeightDevice, blkioDeviceReadBps,
        blkioDeviceWriteBps, blkioDeviceReadIOps, blkioDeviceWriteIOps, cpuRealtimePeriod, cpuRealtimeRuntime,
        cpuPercent, kernelMemoryTcp);
  }

  /**
   * What dockerd keeps of these limits on a host with {@code host}'s cgroup controllers, and the
   * warnings the docker CLI prints for the rest (moby {@code verifyPlatformContainerResources}, in
   * its order): a limit the kernel cannot apply is discarded with a warning, not refused.
   *
   * @param update a {@code docker update}, where a swap limit alone is allowed
   * @throws InvalidArgumentException for a swap limit without a memory limit at create, or
   *     {@code --cpu-rt-*} on a host without the real-time scheduler's cgroup files
   */
  public Adapted adaptTo(CgroupSupport host, boolean update) {
    var warnings = new ArrayList<String>();
    Long mem = memory;
    Long swap = memorySwap;
    Long reservation = memoryReservation;
    Boolean oomOff = oomKillDisable;
    Long swappiness = memorySwappiness;
    Long pids = pidsLimit;
    Long shares = cpuShares;
    Long period = cpuPeriod;
    Long quota = cpuQuota;
    String cpus = cpusetCpus;
    String mems = cpusetMems;
    Integer weight = blkioWeight;
    List<WeightDevice> weightDevices = blkioWeightDevice;
    List<ThrottleDevice> readBps = blkioDeviceReadBps;
    List<ThrottleDevice> writeBps = blkioDeviceWriteBps;
    List<ThrottleDevice> readIOps = blkioDeviceReadIOps;
    List<ThrottleDevice> writeIOps = blkioDeviceWriteIOps;
    if ((cpuRealtimePeriod != null || cpuRealtimeRuntime != null) && !host.cpuRealtime()) {
      // moby runconfig validateResources, before any warning.
      throw new InvalidArgumentException("kernel does not support CPU real-time scheduler");
    }
    if (mem != null && !host.memoryLimit()) {
      warnings.add("Your kernel does not support memory limit capabilities or the cgroup is not mounted. "
          + "Limitation discarded.");
      mem = null;
      swap = -1L;
    }
    if (mem != null && (swap == null || swap != -1) && !host.swapLimit()) {
      warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
          + "Memory limited without swap.");
      swap = -1L;
    }
    if (mem == null && swap != null && swap > 0 && !update) {
      throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage");
    }
    if (swappiness != null && !host.memorySwappiness()) {
      warnings.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
          + "Memory swappiness discarded.");
      swappiness = null;
    }
    if (reservation != null && !host.memoryReservation()) {
      warnings.add("Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. "
          + "Limitation discarded.");
      reservation = null;
    }
    if (oomOff != null && !host.oomKillDisable()) {
      // Only worth a warning when the caller wanted the killer off.
      if (oomOff) {
        warnings.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
      }
      oomOff = null;
    }
    Long kernelTcp = kernelMemoryTcp;
    if (kernelTcp != null && !host.kernelMemoryTcp()) {
      // dockerd passes it on and runc ignores it on cgroup v2; said here rather than left unsaid.
      warnings.add("Your kernel does not support kernel memory TCP limit capabilities or the cgroup is not mounted. "
          + "Limitation discarded.");
      kernelTcp = null;
    }
    if (Boolean.TRUE.equals(oomOff) && mem == null) {
      warnings.add("OOM killer is disabled for the container, but no memory limit is set, this can result in the "
          + "system running out of resources.");
    }
    if (pids != null && !host.pidsLimit()) {
      if (pids > 0) {
        warnings.add("Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. "
            + "PIDs limit discarded.");
      }
      pids = null;
    }
    if (nanoCpus != null && !host.cpuCfs()) {
      throw new InvalidArgumentException(
          "NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted");
    }
    if (shares != null && !host.cpuShares()) {
      warnings.add("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
      shares = null;
    }
    if ((period != null || quota != null) && !host.cpuCfs()) {
      warnings.add("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
      period = null;
      quota = null;
    }
    if (cpuPercent != null) {
      warnings.add("linux does not support CPU percent. Percent discarded.");
    }
    if ((cpus != null || mems != null) && !host.cpuset()) {
      warnings.add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
      cpus = null;
      mems = null;
    }
    if (weight != null && !host.blkioWeight()) {
      warnings.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
      weight = null;
    }
    if (weightDevices != null && !host.blkioWeightDevice()) {
      warnings.add("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. "
          + "Weight-device discarded.");
      weightDevices = null;
    }
    if (readBps != null && !host.blkioReadBpsDevice()) {
      warnings.add("Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. "
          + "Block I/O BPS read limit discarded.");
      readBps = null;
    }
    if (writeBps != null && !host.blkioWriteBpsDevice()) {
      warnings.add("Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. "
          + "Block I/O BPS write limit discarded.");
      writeBps = null;
    }
    if (readIOps != null && !host.blkioReadIOpsDevice()) {
      warnings.add("Your kernel does not support IOPS Block read limit or the cgroup is not mounted. "
          + "Block I/O IOPS read limit discarded.");
      readIOps = null;
    }
    if (writeIOps != null && !host.blkioWriteIOpsDevice()) {
      warnings.add("Your kernel does not support IOPS Block write limit or the cgroup is not mounted. "
          + "Block I/O IOPS write limit discarded.");
      writeIOps = null;
    }
    return new Adapted(new Resources(mem, swap, reservation, shares, period, quota, nanoCpus, cpus, mems, pids, oomOff,
        swappiness, weight, weightDevices, readBps, writeBps, readIOps, writeIOps, cpuRealtimePeriod,
        cpuRealtimeRuntime, null, kernelTcp), warnings);
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

  private static <T> List<T> unsetIfEmpty(List<T> list) {
    return list == null || list.isEmpty() ? null : List.copyOf(list);
  }

  private static Long unsetIfZero(Long value) {
    return value == null || value == 0 ? null : value;
  }
}
