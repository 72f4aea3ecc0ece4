package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  private static final long MIB = 1024 * 1024;

  private static Resources memory(Long memory, Long swap) {
    return new Resources(memory, swap, null, null, null, null, null, null, null, null);
  }

  private static Resources cpu(Long period, Long quota, Long nanoCpus) {
    return new Resources(null, null, null, null, period, quota, nanoCpus, null, null, null);
  }

  private static String refused(Runnable r) {
    return assertThrows(InvalidArgumentException.class, r::run).getMessage();
  }

  @Test
  void dockersZeroMeansUnset() {
    var r = new Resources(0L, 0L, 0L, 0L, 0L, 0L, 0L, "", "", null);
    assertTrue(r.isEmpty());
    assertEquals(Resources.NONE, r);
  }

  @Test
  void aPidsLimitOfZeroOrLessLiftsTheLimit() {
    assertEquals(-1L, new Resources(null, null, null, null, null, null, null, null, null, 0L).pidsLimit());
    assertEquals(-1L, new Resources(null, null, null, null, null, null, null, null, null, -5L).pidsLimit());
    assertEquals(50L, new Resources(null, null, null, null, null, null, null, null, null, 50L).pidsLimit());
  }

  @Test
  void memoryRulesInDockersWords() {
    assertEquals("Minimum memory limit allowed is 6MB", refused(() -> memory(5 * MIB, null)));
    assertEquals("Minimum memoryswap limit should be larger than memory limit, see usage",
        refused(() -> memory(64 * MIB, 32 * MIB)));
    assertEquals(-1L, memory(64 * MIB, -1L).memorySwap(), "-1: unlimited swap");
    assertEquals(64 * MIB, memory(64 * MIB, 64 * MIB).memorySwap(), "equal means no swap");
    assertEquals(32 * MIB, memory(null, 32 * MIB).memorySwap(), "an update may change swap alone");
    assertEquals("Minimum memory limit can not be less than memory reservation limit, see usage",
        refused(() -> new Resources(8 * MIB, null, 16 * MIB, null, null, null, null, null, null, null)));
  }

  @Test
  void cpuRulesInDockersWords() {
    assertEquals("Conflicting options: Nano CPUs and CPU Period cannot both be set",
        refused(() -> cpu(100_000L, null, 1_000_000_000L)));
    assertEquals("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
        refused(() -> cpu(null, 50_000L, 1_000_000_000L)));
    assertEquals("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
        refused(() -> cpu(999L, null, null)));
    assertEquals("CPU cfs quota can not be less than 1ms (i.e. 1000)", refused(() -> cpu(null, 999L, null)));
    assertEquals(-1L, cpu(null, -1L, null).effectiveCpuQuota(), "-1: no quota");
    assertTrue(refused(() -> new Resources(null, null, null, -2L, null, null, null, null, null, null))
        .startsWith("invalid CPU shares (-2)"));
  }

  @Test
  void cpusAreAQuotaPerHundredMilliseconds() {
    var half = cpu(null, null, 500_000_000L);
    assertEquals(50_000L, half.effectiveCpuQuota());
    assertEquals(100_000L, half.effectiveCpuPeriod());
    var own = cpu(20_000L, 10_000L, null);
    assertEquals(10_000L, own.effectiveCpuQuota());
    assertEquals(20_000L, own.effectiveCpuPeriod());
  }

  @Test
  void createGivesSwapTwiceTheMemoryWhenUnset() {
    assertEquals(128 * MIB, memory(64 * MIB, null).withDefaultSwap().memorySwap());
    assertEquals(-1L, memory(64 * MIB, -1L).withDefaultSwap().memorySwap());
    assertNull(Resources.NONE.withDefaultSwap().memorySwap());
  }
}
