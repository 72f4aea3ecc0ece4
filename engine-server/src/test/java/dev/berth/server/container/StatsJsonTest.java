package dev.berth.server.container;

import dev.berth.core.container.attach.InterfaceCounters;
import dev.berth.core.container.attach.StatsService.Sample;
import dev.berth.core.container.model.CgroupStats;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.server.api.JsonShapes;
import dev.berth.server.api.WireTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed stats answer is the one the Map-built answer was: fields, order, nulls and absences. */
class StatsJsonTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.25Z");
  /** Objects the old answer built with Map.of, whose field order was a hash's. */
  private static final Set<String> HASHED = Set.of("/cpu_stats/throttling_data", "/precpu_stats/throttling_data",
      "/memory_stats/stats");
  private static final Container WEB = new Container(new ContainerId("a".repeat(64)), new ContainerName("web"), T0,
      new ImageId(new Digest("b".repeat(64))), new ContainerConfig("busybox", List.of(), List.of("top"), List.of(),
          "", "", "", "", Map.of(), false, false, false, false, true, true, "", null, null, null, null, null, null,
          false),
      new HostConfig(false, "bridge", RestartPolicy.NO, 0, 0, false, false, null, null, null, null, null, null, null,
          null),
      ContainerState.Created.FRESH, 0);

  private static final CgroupStats V1 = new CgroupStats(5_000, 3_000, 2_000, List.of(2_500L, 2_500L), 7, 800, 10,
      1 << 20, 2 << 20, -1, Map.of("cache", 4096L, "rss", 8192L), 3, 100,
      new CgroupStats.BlockIo(true, List.of(new CgroupStats.BlockIo.Entry(254, 0, "Read", 0),
          new CgroupStats.BlockIo.Entry(254, 0, "Write", 10_485_760)),
          List.of(new CgroupStats.BlockIo.Entry(254, 0, "Write", 10))));
  private static final CgroupStats V2 = new CgroupStats(9_000, 6_000, 3_000, List.of(), 0, 0, 0, 3 << 20, 0,
      64L << 30, Map.of("anon", 1024L), 1, -1, new CgroupStats.BlockIo(false,
          List.of(new CgroupStats.BlockIo.Entry(8, 0, "read", 4096), new CgroupStats.BlockIo.Entry(8, 0, "write", 0)),
          List.of()));
  private static final Map<String, InterfaceCounters> ETH0 = Map.of("eth0",
      new InterfaceCounters(5338, 36, 0, 0, 648, 8, 0, 0));

  private static Sample sample(Optional<CgroupStats> cg, long seconds) {
    return new Sample(WEB, T0.plusSeconds(seconds), cg, 123_456_000_000L + seconds, 2, 8L << 30,
        cg.isPresent() ? ETH0 : Map.of());
  }

  @Test
  void aContainerThatIsNotRunning() {
    Sample s = sample(Optional.empty(), 0);
    JsonShapes.assertSame(legacy(s, null), StatsHandlers.json(s, null), HASHED);
  }

  @Test
  void aOneShotOfACgroupV1Container() {
    Sample s = sample(Optional.of(V1), 0);
    JsonShapes.assertSame(legacy(s, null), StatsHandlers.json(s, null), HASHED);
  }

  @Test
  void aSecondReadingOfACgroupV2ContainerWithALimitAboveTheHostsMemory() {
    Sample prev = sample(Optional.of(V2), 0);
    Sample s = sample(Optional.of(V1), 1);
    JsonShapes.assertSame(legacy(s, prev), StatsHandlers.json(s, prev), HASHED);
    JsonShapes.assertSame(legacy(prev, s), StatsHandlers.json(prev, s), HASHED);
  }

  @Test
  void aCgroupV2ContainerWithoutBlockIoHasNullLists() {
    var none = new CgroupStats(1, 1, 0, List.of(), 0, 0, 0, 1, 0, -1, Map.of(), 1, -1, CgroupStats.BlockIo.NONE);
    Sample s = sample(Optional.of(none), 0);
    JsonShapes.assertSame(legacy(s, null), StatsHandlers.json(s, null), HASHED);
  }

  @Test
  void aReadingAfterTheContainerStopped() {
    Sample prev = sample(Optional.of(V1), 0);
    Sample s = sample(Optional.empty(), 1);
    JsonShapes.assertSame(legacy(s, prev), StatsHandlers.json(s, prev), HASHED);
  }

  // ---- the Map-built answer berth sent before the typed records (the oracle)

  private static Map<String, Object> legacy(Sample s, Sample prev) {
    var out = new LinkedHashMap<String, Object>();
    out.put("name", s.container().name().slashed());
    out.put("id", s.container().id().hex());
    out.put("read", WireTime.format(s.read()));
    out.put("preread", prev == null ? "0001-01-01T00:00:00Z" : WireTime.format(prev.read()));
    CgroupStats cg = s.cgroup().orElse(null);
    out.put("pids_stats", cg == null ? Map.of() : pids(cg));
    Map<String, Object> blkio = new LinkedHashMap<>();
    for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
        "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
        "sectors_recursive")) {
      // dockerd: v1 fills every list ([] when empty), v2 only the bytes (null when empty).
      blkio.put(k, cg == null ? null : cg.blockIo().v1() ? List.of() : null);
    }
    if (cg != null && (cg.blockIo().v1() || !cg.blockIo().serviceBytes().isEmpty())) {
      blkio.put("io_service_bytes_recursive", blkioEntries(cg.blockIo().serviceBytes()));
    }
    if (cg != null && cg.blockIo().v1()) {
      blkio.put("io_serviced_recursive", blkioEntries(cg.blockIo().serviced()));
    }
    out.put("blkio_stats", blkio);
    out.put("num_procs", 0);
    out.put("storage_stats", Map.of());
    out.put("cpu_stats", cpu(s));
    out.put("precpu_stats", prev == null ? cpu(null) : cpu(prev));
    out.put("memory_stats", cg == null ? Map.of() : memory(cg, s.hostMemory()));
    if (!s.networks().isEmpty()) {
      var networks = new LinkedHashMap<String, Object>();
      s.networks().forEach((name, n) -> {
        var m = new LinkedHashMap<String, Object>();
        m.put("rx_bytes", n.rxBytes());
        m.put("rx_packets", n.rxPackets());
        m.put("rx_errors", n.rxErrors());
        m.put("rx_dropped", n.rxDropped());
        m.put("tx_bytes", n.txBytes());
        m.put("tx_packets", n.txPackets());
        m.put("tx_errors", n.txErrors());
        m.put("tx_dropped", n.txDropped());
        networks.put(name, m);
      });
      out.put("networks", networks);
    }
    return out;
  }

  private static List<Object> blkioEntries(List<CgroupStats.BlockIo.Entry> entries) {
    return entries.stream().<Object>map(e -> {
      var m = new LinkedHashMap<String, Object>();
      m.put("major", e.major());
      m.put("minor", e.minor());
      m.put("op", e.op());
      m.put("value", e.value());
      return m;
    }).toList();
  }

  private static Map<String, Object> pids(CgroupStats cg) {
    var p = new LinkedHashMap<String, Object>();
    p.put("current", cg.pidsCurrent());
    if (cg.pidsLimit() >= 0) {
      p.put("limit", cg.pidsLimit());
    }
    return p;
  }

  private static Map<String, Object> cpu(Sample s) {
    var usage = new LinkedHashMap<String, Object>();
    var cpu = new LinkedHashMap<String, Object>();
    CgroupStats cg = s == null ? null : s.cgroup().orElse(null);
    usage.put("total_usage", cg == null ? 0 : cg.cpuTotalNanos());
    if (cg != null && !cg.perCpuNanos().isEmpty()) {
      usage.put("percpu_usage", cg.perCpuNanos());
    }
    usage.put("usage_in_kernelmode", cg == null ? 0 : cg.cpuSystemNanos());
    usage.put("usage_in_usermode", cg == null ? 0 : cg.cpuUserNanos());
    cpu.put("cpu_usage", usage);
    if (s != null && cg != null) {
      cpu.put("system_cpu_usage", s.systemCpuNanos());
      cpu.put("online_cpus", s.onlineCpus());
    }
    cpu.put("throttling_data", Map.of("periods", cg == null ? 0 : cg.periods(),
        "throttled_periods", cg == null ? 0 : cg.throttledPeriods(),
        "throttled_time", cg == null ? 0 : cg.throttledTimeNanos()));
    return cpu;
  }

  private static Map<String, Object> memory(CgroupStats cg, long hostMemory) {
    var m = new LinkedHashMap<String, Object>();
    m.put("usage", cg.memoryUsage());
    if (cg.memoryMaxUsage() > 0) {
      m.put("max_usage", cg.memoryMaxUsage());
    }
    m.put("stats", cg.memoryStats());
    long limit = cg.memoryLimit() < 0 || cg.memoryLimit() > hostMemory && hostMemory > 0 ? hostMemory
        : cg.memoryLimit();
    m.put("limit", limit);
    return m;
  }
}
