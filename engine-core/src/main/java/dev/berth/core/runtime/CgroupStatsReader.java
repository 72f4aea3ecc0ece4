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
          pids.map(d -> limitOf(d.resolve("pids.max"))).orElse(-1L),
          tree.controllerDir("blkio", child).filter(Files::isDirectory).map(CgroupStatsReader::blkio)
              .orElseGet(() -> unifiedDir(child).map(CgroupStatsReader::ioStat).orElse(CgroupStats.BlockIo.NONE))));
    } catch (NoSuchFile e) {
      return Optional.empty();
    }
  }

  private Optional<Path> unifiedDir(String child) {
    return tree.hierarchies().stream().filter(CgroupTree.Hierarchy::unified).findFirst()
        .map(h -> h.mount().resolve(tree.parent().substring(1)).resolve(child)).filter(Files::isDirectory);
  }

  private Optional<CgroupStats> unified(String child) {
    Optional<Path> dir = unifiedDir(child);
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
        limitOf(d.resolve("pids.max")), ioStat(d)));
  }

  /**
   * v1 blkio from the throttle files, which count every bio the cgroup submits: dockerd
   * (containerd's cgroups) reads them when the CFQ files are absent or empty, and kernels since 5.0
   * have no CFQ. Kernels of late count there only in a cgroup with a throttle limit somewhere: as
   * dockerd, berth then shows zeros.
   */
  private static CgroupStats.BlockIo blkio(Path dir) {
    return new CgroupStats.BlockIo(true, blkioEntries(dir.resolve("blkio.throttle.io_service_bytes_recursive")),
        blkioEntries(dir.resolve("blkio.throttle.io_serviced_recursive")));
  }

  // Lines "MAJ:MIN Op VALUE" (or "MAJ:MIN VALUE"), and a closing "Total VALUE" over all devices.
  private static List<CgroupStats.BlockIo.Entry> blkioEntries(Path file) {
    var out = new ArrayList<CgroupStats.BlockIo.Entry>();
    for (String line : text(file).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || f[0].equals("Total")) {
        continue;
      }
      long[] device = device(f[0]);
      if (device != null) {
        out.add(new CgroupStats.BlockIo.Entry(device[0], device[1], f.length == 3 ? f[1] : "",
            Long.parseLong(f[f.length - 1])));
      }
    }
    return out;
  }

  /** v2 io.stat, as dockerd's v2 stats give it: per device, bytes read and written, as "read" and "write". */
  private static CgroupStats.BlockIo ioStat(Path dir) {
    Path file = dir.resolve("io.stat");
    if (!Files.exists(file)) {
      return CgroupStats.BlockIo.NONE;
    }
    var bytes = new ArrayList<CgroupStats.BlockIo.Entry>();
    for (String line : text(file).split("\n")) {
      String[] f = line.trim().split("\\s+");
      long[] device = device(f[0]);
      if (device == null) {
        continue;
      }
      var kv = new LinkedHashMap<String, Long>();
      for (int i = 1; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        if (eq > 0) {
          kv.put(f[i].substring(0, eq), Long.parseLong(f[i].substring(eq + 1)));
        }
      }
      bytes.add(new CgroupStats.BlockIo.Entry(device[0], device[1], "read", kv.getOrDefault("rbytes", 0L)));
      bytes.add(new CgroupStats.BlockIo.Entry(device[0], device[1], "write", kv.getOrDefault("wbytes", 0L)));
    }
    return new CgroupStats.BlockIo(false, bytes, List.of());
  }

  private static long[] device(String majorMinor) {
    int colon = majorMinor.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(majorMinor.substring(0, colon)), Long.parseLong(majorMinor.substring(colon + 1))};
    } catch (NumberFormatException e) {
      return null;
    }
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
