package dev.berth.server.container;

import dev.berth.core.container.StatsService;
import dev.berth.core.container.StatsService.Sample;
import dev.berth.core.runtime.CgroupStats;
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
public final class StatsHandlers implements ApiRoutes.Group {

  private static final long INTERVAL_MILLIS = 1000;
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final StatsService stats;

  public StatsHandlers(StatsService stats) {
    this.stats = stats;
  }

  @Override
  public void routes(ApiRoutes r) {
    r.get("/containers/{id}/stats", this::containerStats);
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

  static Map<String, Object> json(Sample s, Sample prev) {
    var out = new LinkedHashMap<String, Object>();
    out.put("name", s.container().name().slashed());
    out.put("id", s.container().id().hex());
    out.put("read", WireTime.format(s.read()));
    out.put("preread", prev == null ? NEVER : WireTime.format(prev.read()));
    CgroupStats cg = s.cgroup().orElse(null);
    out.put("pids_stats", cg == null ? Map.of() : pids(cg));
    Map<String, Object> blkio = new LinkedHashMap<>();
    for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
        "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
        "sectors_recursive")) {
      blkio.put(k, null);
    }
    out.put("blkio_stats", blkio);
    out.put("num_procs", 0);
    out.put("storage_stats", Map.of());
    out.put("cpu_stats", cpu(s));
    out.put("precpu_stats", prev == null ? cpu(null) : cpu(prev));
    out.put("memory_stats", cg == null ? Map.of() : memory(cg, s.hostMemory()));
    return out;
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
    // dockerd reports the host's memory when the container has no limit (or a larger one).
    long limit = cg.memoryLimit() < 0 || cg.memoryLimit() > hostMemory && hostMemory > 0 ? hostMemory
        : cg.memoryLimit();
    m.put("limit", limit);
    return m;
  }
}
