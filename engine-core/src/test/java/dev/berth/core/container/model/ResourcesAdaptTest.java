package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.CgroupSupport;
import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: the limits dockerd applies, refuses, or discards with a warning (moby verifyPlatformContainerResources). */
class ResourcesAdaptTest {

  private static final long MIB = 1024 * 1024;
  private static final List<Resources.ThrottleDevice> SDA = List.of(new Resources.ThrottleDevice("/dev/sda", 1024));

  /** This host: cgroup v1 controllers, blkio without CFQ/BFQ (no weight files). */
  private static final CgroupSupport HYBRID = new CgroupSupport(true, true, true, true, true, true, true, true, true,
      true, false, false, true, true, true, true, true);
  /** A pure cgroup v2 host with swap accounting. */
  private static final CgroupSupport V2 = new CgroupSupport(true, true, true, false, false, true, true, true, false,
      true, true, true, true, true, true, true, false);

  private static Resources of(Long memory, Boolean oomKillDisable, Long swappiness, Integer weight,
      List<Resources.ThrottleDevice> readBps) {
    return new Resources(memory, null, null, null, null, null, null, null, null, null, oomKillDisable, swappiness,
        weight, null, readBps, null, null, null, null, null, null, null);
  }

  private static String refused(Runnable r) {
    return assertThrows(InvalidArgumentException.class, r::run).getMessage();
  }

  @Test
  void swappinessOutsideZeroToAHundredIsRefusedAndMinusOneIsUnset() {
    assertEquals("Invalid value: 101, valid memory swappiness range is 0-100",
        refused(() -> of(null, null, 101L, null, null)));
    assertEquals("Invalid value: -2, valid memory swappiness range is 0-100",
        refused(() -> of(null, null, -2L, null, null)));
    assertNull(of(null, null, -1L, null, null).memorySwappiness());
    assertEquals(0L, of(null, null, 0L, null, null).memorySwappiness());
  }

  @Test
  void blkioWeightOutsideTenToAThousandIsRefused() {
    assertEquals("Range of blkio weight is from 10 to 1000", refused(() -> of(null, null, null, 5, null)));
    assertEquals("Range of blkio weight is from 10 to 1000", refused(() -> of(null, null, null, 1001, null)));
    assertNull(of(null, null, null, 0, null).blkioWeight());
  }

  @Test
  void realTimeRuntimeAbovePeriodIsRefused() {
    assertEquals("cpu real-time runtime cannot be higher than cpu real-time period", refused(() -> new Resources(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        1000L, 2000L, null, null)));
  }

  @Test
  void onThisHostWeightIsDiscardedWithDockerdsWarningAndThrottlesKept() {
    var adapted = of(64 * MIB, null, 10L, 300, SDA).adaptTo(HYBRID, false);
    assertEquals(List.of("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."),
        adapted.warnings());
    assertNull(adapted.resources().blkioWeight());
    assertEquals(SDA, adapted.resources().blkioDeviceReadBps());
    assertEquals(10L, adapted.resources().memorySwappiness());
  }

  @Test
  void onCgroupV2OomKillDisableAndSwappinessAreDiscardedWithWarnings() {
    var adapted = of(64 * MIB, true, 10L, null, null).adaptTo(V2, false);
    assertEquals(List.of(
        "Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
            + "Memory swappiness discarded.",
        "Your kernel does not support OomKillDisable. OomKillDisable discarded."), adapted.warnings());
    assertNull(adapted.resources().oomKillDisable());
    assertNull(adapted.resources().memorySwappiness());
    // Asking for the killer to stay on is no reason to warn.
    assertEquals(List.of(), of(64 * MIB, false, null, null, null).adaptTo(V2, false).warnings());
  }

  @Test
  void oomKillerOffWithoutAMemoryLimitIsWarnedAbout() {
    var adapted = of(null, true, null, null, null).adaptTo(HYBRID, false);
    assertEquals(List.of("OOM killer is disabled for the container, but no memory limit is set, this can result in "
        + "the system running out of resources."), adapted.warnings());
    assertTrue(adapted.resources().oomKillDisable());
  }

  @Test
  void aMemoryLimitWithoutSwapAccountingIsKeptWithoutSwap() {
    var noSwap = new CgroupSupport(true, false, true, true, true, true, true, true, true, true, true, true, true, true,
        true, true, true);
    var adapted = Resources.memory(64 * MIB).adaptTo(noSwap, false);
    assertEquals(List.of("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
        + "Memory limited without swap."), adapted.warnings());
    assertEquals(-1L, adapted.resources().memorySwap());
    // -1 then survives the default of twice the memory.
    assertEquals(-1L, adapted.resources().withDefaultSwap().memorySwap());
  }

  @Test
  void aSwapLimitWithoutAMemoryLimitIsRefusedAtCreateOnly() {
    var swapOnly = new Resources(null, 128 * MIB, null, null, null, null, null, null, null, null);
    assertEquals("You should always set the Memory limit when using Memoryswap limit, see usage",
        refused(() -> swapOnly.adaptTo(CgroupSupport.ALL, false)));
    assertEquals(List.of(), swapOnly.adaptTo(CgroupSupport.ALL, true).warnings());
  }

  @Test
  void cpuPercentIsWindowsOnlyAndDiscarded() {
    var r = new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, 50L, null);
    var adapted = r.adaptTo(CgroupSupport.ALL, false);
    assertEquals(List.of("linux does not support CPU percent. Percent discarded."), adapted.warnings());
    assertTrue(adapted.resources().isEmpty());
  }

  @Test
  void realTimeLimitsNeedTheRealTimeScheduler() {
    var r = new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, 1_000_000L, 950_000L, null, null);
    assertEquals("kernel does not support CPU real-time scheduler", refused(() -> r.adaptTo(V2, false)));
    assertEquals(950_000L, r.adaptTo(HYBRID, false).resources().cpuRealtimeRuntime());
  }

  @Test
  void kernelTcpMemoryIsKeptOnV1AndDiscardedOnV2() {
    var r = new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, 1L << 20);
    assertEquals(1L << 20, r.adaptTo(HYBRID, false).resources().kernelMemoryTcp());
    var adapted = r.adaptTo(V2, false);
    assertNull(adapted.resources().kernelMemoryTcp());
    assertEquals(List.of("Your kernel does not support kernel memory TCP limit capabilities or the cgroup is not "
        + "mounted. Limitation discarded."), adapted.warnings());
  }

  @Test
  void anUpdateKeepsDeviceListsItDoesNotName() {
    var created = of(64 * MIB, true, 10L, null, SDA);
    var merged = created.with(Resources.memory(96 * MIB));
    assertEquals(SDA, merged.blkioDeviceReadBps());
    assertEquals(10L, merged.memorySwappiness());
    assertTrue(merged.oomKillDisable());
    assertEquals(96 * MIB, merged.memory());
  }
}
