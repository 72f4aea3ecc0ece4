package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.CgroupStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsReaderTest {

  private static final String ID = "c".repeat(64);

  @TempDir
  Path root;

  private Path controller(String name) throws IOException {
    return Files.createDirectories(root.resolve(name).resolve("berth").resolve(ID));
  }

  private CgroupTree v1Tree() {
    return new CgroupTree("/berth", List.of(
        new CgroupTree.Hierarchy(root.resolve("cpuacct"), false, Set.of("cpuacct")),
        new CgroupTree.Hierarchy(root.resolve("cpu"), false, Set.of("cpu")),
        new CgroupTree.Hierarchy(root.resolve("memory"), false, Set.of("memory")),
        new CgroupTree.Hierarchy(root.resolve("pids"), false, Set.of("pids")),
        new CgroupTree.Hierarchy(root.resolve("blkio"), false, Set.of("blkio"))));
  }

  @Test
  void readsTheV1CountersAndTurnsTheirUnlimitedIntoMinusOne() throws IOException {
    Path cpuacct = controller("cpuacct");
    Files.writeString(cpuacct.resolve("cpuacct.usage"), "123456789\n");
    Files.writeString(cpuacct.resolve("cpuacct.usage_percpu"), "100000000 23456789 \n");
    Files.writeString(cpuacct.resolve("cpuacct.stat"), "user 7\nsystem 3\n");
    Files.writeString(controller("cpu").resolve("cpu.stat"), "nr_periods 10\nnr_throttled 2\nthrottled_time 500\n");
    Path memory = controller("memory");
    Files.writeString(memory.resolve("memory.usage_in_bytes"), "4096\n");
    Files.writeString(memory.resolve("memory.max_usage_in_bytes"), "8192\n");
    Files.writeString(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    Files.writeString(memory.resolve("memory.stat"), "cache 0\ntotal_inactive_file 1024\n");
    Path pids = controller("pids");
    Files.writeString(pids.resolve("pids.current"), "3\n");
    Files.writeString(pids.resolve("pids.max"), "max\n");
    Path blkio = controller("blkio");
    Files.writeString(blkio.resolve("blkio.throttle.io_service_bytes_recursive"),
        "254:0 Read 0\n254:0 Write 10485760\n254:0 Sync 10485760\n254:0 Async 0\n254:0 Discard 0\n"
            + "254:0 Total 10485760\nTotal 10485760\n");
    Files.writeString(blkio.resolve("blkio.throttle.io_serviced_recursive"), "254:0 Write 10\nTotal 10\n");

    CgroupStats s = new CgroupStatsReader(v1Tree()).read(ID).orElseThrow();
    assertEquals(123456789, s.cpuTotalNanos());
    assertEquals(List.of(100000000L, 23456789L), s.perCpuNanos());
    assertEquals(70_000_000, s.cpuUserNanos());
    assertEquals(30_000_000, s.cpuSystemNanos());
    assertEquals(2, s.throttledPeriods());
    assertEquals(4096, s.memoryUsage());
    assertEquals(-1, s.memoryLimit());
    assertEquals(1024L, s.memoryStats().get("total_inactive_file"));
    assertEquals(3, s.pidsCurrent());
    assertEquals(-1, s.pidsLimit());
    assertTrue(s.blockIo().v1());
    assertEquals(6, s.blockIo().serviceBytes().size(), "the device's lines, not the closing Total");
    assertEquals(new CgroupStats.BlockIo.Entry(254, 0, "Write", 10485760), s.blockIo().serviceBytes().get(1));
    assertEquals(List.of(new CgroupStats.BlockIo.Entry(254, 0, "Write", 10)), s.blockIo().serviced());
  }

  @Test
  void readsV2IoStatAsReadAndWriteBytes() throws IOException {
    Path dir = Files.createDirectories(root.resolve("unified").resolve("berth").resolve(ID));
    Files.writeString(dir.resolve("cpu.stat"), "usage_usec 10\n");
    Files.writeString(dir.resolve("memory.current"), "4096\n");
    Files.writeString(dir.resolve("memory.max"), "max\n");
    Files.writeString(dir.resolve("memory.stat"), "anon 0\n");
    Files.writeString(dir.resolve("pids.current"), "1\n");
    Files.writeString(dir.resolve("pids.max"), "max\n");
    Files.writeString(dir.resolve("io.stat"), "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
    var v2 = new CgroupTree("/berth", List.of(CgroupTree.Hierarchy.v2(root.resolve("unified"))));

    CgroupStats s = new CgroupStatsReader(v2).read(ID).orElseThrow();
    assertEquals(new CgroupStats.BlockIo(false, List.of(new CgroupStats.BlockIo.Entry(8, 0, "read", 4096),
        new CgroupStats.BlockIo.Entry(8, 0, "write", 8192)), List.of()), s.blockIo());
  }

  @Test
  void oomKillsAreCountedFromV1OomControlOrV2MemoryEvents() throws IOException {
    assertEquals(0, v1Tree().oomKills(ID), "no cgroup, no kills");
    Files.writeString(controller("memory").resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    assertEquals(2, v1Tree().oomKills(ID));

    Path unified = Files.createDirectories(root.resolve("unified").resolve("berth").resolve(ID));
    Files.writeString(unified.resolve("memory.events"), "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n");
    var v2 = new CgroupTree("/berth", List.of(CgroupTree.Hierarchy.v2(root.resolve("unified"))));
    assertEquals(1, v2.oomKills(ID));
  }

  @Test
  void aContainerWithoutCgroupsHasNoStats() {
    assertTrue(new CgroupStatsReader(v1Tree()).read(ID).isEmpty());
  }
}
