package dev.berth.server.container;

import dev.berth.core.container.attach.StatsService;
import dev.berth.core.container.attach.StatsService.Sample;
import dev.berth.core.container.model.CgroupStats;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import dev.berth.server.api.Responses;
import dev.berth.server.api.WireTime;
import dev.berth.server.stream.HijackedConnection;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/{id}/stats}: Docker's stats objects, one per second while streaming.
 * Without {@code one-shot}, a single answer still waits one interval so {@code precpu_stats} is
 * filled and the CLI can compute a CPU percentage, as dockerd does.
 */
public final class StatsHandlers {

  private static final long INTERVAL_MILLIS = 1000;
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final StatsService stats;

  public StatsHandlers(StatsService stats) {
    this.stats = stats;
  }

  public static void routes(ApiRoutes.Operations<StatsHandlers> r) {
    r.get("/containers/{id}/stats", StatsHandlers::containerStats);
  }

  private void containerStats(ApiRequest req, ServerResponse res) throws Exception {
    var c = stats.find(req.path("id"));
    boolean stream = req.query("stream").map(ApiRequest::truthy).orElse(true);
    Sample first = stats.sample(c);
    if (!stream) {
      Sample prev = null;
      Sample now = first;
      if (!req.bool("one-shot") && first.cgroup().isPresent()) {
        Thread.sleep(INTERVAL_MILLIS);
        prev = first;
        now = stats.sample(stats.current(c.id()).orElse(c));
      }
      Responses.json(res, 200, json(now, prev));
      return;
    }
    var conn = HijackedConnection.takeOver(false, Responses.JSON);
    Sample prev = null;
    Sample now = first;
    try {
      while (true) {
        conn.output().write(Json.bytes(json(now, prev)));
        conn.output().write('\n');
        Thread.sleep(INTERVAL_MILLIS);
        var current = stats.current(c.id());
        if (current.isEmpty()) {
          break;
        }
        prev = now;
        now = stats.sample(current.get());
      }
    } catch (IOException e) {
      // the client went away
    }
    throw conn.finished();
  }

  static StatsJson.Stats json(Sample s, Sample prev) {
    CgroupStats cg = s.cgroup().orElse(null);
    return new StatsJson.Stats(s.container().name().slashed(), s.container().id().hex(), WireTime.format(s.read()),
        prev == null ? NEVER : WireTime.format(prev.read()),
        cg == null ? new StatsJson.PidsStats(null, null) : pids(cg),
        cg == null ? StatsJson.BlkioStats.NONE : blkio(cg.blockIo()), 0,
        StatsJson.StorageStats.NONE, cpu(s), prev == null ? cpu(null) : cpu(prev),
        cg == null ? StatsJson.MemoryStats.NONE : memory(cg, s.hostMemory()), networks(s));
  }

  private static StatsJson.BlkioStats blkio(CgroupStats.BlockIo io) {
    List<StatsJson.BlkioStatEntry> bytes = entries(io.serviceBytes());
    if (!io.v1()) {
      return new StatsJson.BlkioStats(bytes.isEmpty() ? null : bytes, null, null, null, null, null, null, null);
    }
    // The CFQ-only lists stay empty: dockerd reads the throttle files, which have none of them.
    return new StatsJson.BlkioStats(bytes, entries(io.serviced()), List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of());
  }

  private static List<StatsJson.BlkioStatEntry> entries(List<CgroupStats.BlockIo.Entry> entries) {
    return entries.stream().map(e -> new StatsJson.BlkioStatEntry(e.major(), e.minor(), e.op(), e.value())).toList();
  }

  private static Map<String, StatsJson.NetworkStats> networks(Sample s) {
    var out = new LinkedHashMap<String, StatsJson.NetworkStats>();
    s.networks().forEach((name, n) -> out.put(name, new StatsJson.NetworkStats(n.rxBytes(), n.rxPackets(),
        n.rxErrors(), n.rxDropped(), n.txBytes(), n.txPackets(), n.txErrors(), n.txDropped())));
    return out;
  }

  private static StatsJson.PidsStats pids(CgroupStats cg) {
    return new StatsJson.PidsStats(cg.pidsCurrent(), cg.pidsLimit() >= 0 ? cg.pidsLimit() : null);
  }

  private static StatsJson.CpuStats cpu(Sample s) {
    CgroupStats cg = s == null ? null : s.cgroup().orElse(null);
    var usage = new StatsJson.CpuUsage(cg == null ? 0 : cg.cpuTotalNanos(),
        cg != null && !cg.perCpuNanos().isEmpty() ? cg.perCpuNanos() : null,
        cg == null ? 0 : cg.cpuSystemNanos(), cg == null ? 0 : cg.cpuUserNanos());
    boolean measured = s != null && cg != null;
    return new StatsJson.CpuStats(usage, measured ? s.systemCpuNanos() : null, measured ? s.onlineCpus() : null,
        new StatsJson.ThrottlingData(cg == null ? 0 : cg.periods(), cg == null ? 0 : cg.throttledPeriods(),
            cg == null ? 0 : cg.throttledTimeNanos()));
  }

  private static StatsJson.MemoryStats memory(CgroupStats cg, long hostMemory) {
    // dockerd reports the host's memory when the container has no limit (or a larger one).
    long limit = cg.memoryLimit() < 0 || cg.memoryLimit() > hostMemory && hostMemory > 0 ? hostMemory
        : cg.memoryLimit();
    return new StatsJson.MemoryStats(cg.memoryUsage(), cg.memoryMaxUsage() > 0 ? cg.memoryMaxUsage() : null,
        cg.memoryStats(), limit);
  }
}
