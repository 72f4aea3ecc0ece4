package dev.berth.core.runtime;

import dev.berth.core.container.model.CgroupStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link CgroupStats} from cgroup v1 controller files (this host's kind) or, where a
 * controller has no v1 hierarchy, from the unified cgroup2 files.
 */
final class CgroupStatsReader {

  // cgroup v1 reports "no limit" as the largest page-aligned signed 64-bit number.
  private static final long V1_UNLIMITED = 0x7FFFFFFFFFFFF000L;
  private static final long USER_HZ_NANOS = 10_000_000;

  private final CgroupTree tree;

  CgroupStatsReader(CgroupTree tree) {
    this.tree = tree;
  }

  /** Empty when the container has no cgroup (it is not running). */
  Optional<CgroupStats> read(String child) {
    try {
      Optional<Path> cpuacct = tree.controllerDir("cpuacct", child).filter(Files::isDirectory);
      Optional<Path> memory = tree.controllerDir("memory", child).filter(Files::isDirectory);
      Optional<Path> pids = tree.controllerDir("pids", child).filter(Files::isDirectory);
      Optional<Path> cpu = tree.controllerDir("cpu", child).filter(Files::isDirectory);
      if (cpuacct.isEmpty() && memory.isEmpty()) {
        return unified(child);
      }
      long total = cpuacct.map(d -> number(d.resolve("cpuacct.usage"))).orElse(0L);
      List<Long> perCpu = cpuacct.map(d -> numbers(d.resolve("cpuacct.usage_percpu"))).orElse(List.of());
      Map<String, Long> cpuStat = cpuacct.map(d -> keyed(d.resolve("cpuacct.stat"))).orElse(Map.of());
      Map<String, Long> throttling = cpu.map(d -> keyed(d.resolve("cpu.stat"))).orElse(Map.of());
      Map<String, Long> memStat = memory.map(d -> keyed(d.resolve("memory.stat"))).orElse(Map.of());
      long limit = memory.map(d -> number(d.resolve("memory.limit_in_bytes"))).orElse(-1L);
      return Optional.of(new CgroupStats(total,
          cpuStat.getOrDefault("user", 0L) * USER_HZ_NANOS, cpuStat.getOrDefault("system", 0L) * USER_HZ_NANOS,
          perCpu, throttling.getOrDefault("nr_throttled", 0L), throttling.getOrDefault("throttled_time", 0L),
          throttling.getOrDefault("nr_periods", 0L),
          memory.map(d -> number(d.resolve("memory.usage_in_bytes"))).orElse(0L),
          memory.map(d -> number(d.resolve("memory.max_usage_in_bytes"))).orElse(0L),
          limit >= V1_UNLIMITED ? -1 : limit, memStat,
          pids.map(d -> number(d.resolve("pids.current"))).orElse(0L),
          pids.map(d -> limitOf(d.resolve("pids.max"))).orElse(-1L)));
    } catch (NoSuchFile e) {
      return Optional.empty();
    }
  }

  private Optional<CgroupStats> unified(String child) {
    Optional<Path> dir = tree.hierarchies().stream().filter(CgroupTree.Hierarchy::unified).findFirst()
        .map(h -> h.mount().resolve(tree.parent().substring(1)).resolve(child)).filter(Files::isDirectory);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    Path d = dir.get();
    Map<String, Long> cpuStat = keyed(d.resolve("cpu.stat"));
    return Optional.of(new CgroupStats(cpuStat.getOrDefault("usage_usec", 0L) * 1000,
        cpuStat.getOrDefault("user_usec", 0L) * 1000, cpuStat.getOrDefault("system_usec", 0L) * 1000, List.of(),
        cpuStat.getOrDefault("nr_throttled", 0L), cpuStat.getOrDefault("throttled_usec", 0L) * 1000,
        cpuStat.getOrDefault("nr_periods", 0L), number(d.resolve("memory.current")), 0,
        limitOf(d.resolve("memory.max")), keyed(d.resolve("memory.stat")), number(d.resolve("pids.current")),
        limitOf(d.resolve("pids.max"))));
  }

  /** A cgroup file vanished: the container stopped while we read. */
  private static final class NoSuchFile extends RuntimeException {
    NoSuchFile() {
      super(null, null, false, false);
    }
  }

  private static String text(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (NoSuchFileException e) {
      throw new NoSuchFile();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long number(Path p) {
    return Long.parseLong(text(p));
  }

  private static long limitOf(Path p) {
    String s = text(p);
    return s.equals("max") ? -1 : Long.parseLong(s);
  }

  private static List<Long> numbers(Path p) {
    var out = new ArrayList<Long>();
    for (String s : text(p).split("\\s+")) {
      if (!s.isEmpty()) {
        out.add(Long.parseLong(s));
      }
    }
    return out;
  }

  private static Map<String, Long> keyed(Path p) {
    var out = new LinkedHashMap<String, Long>();
    for (String line : text(p).split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          out.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException e) {
          // not a counter
        }
      }
    }
    return out;
  }
}
