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
        new CgroupTree.Hierarchy(root.resolve("pids"), false, Set.of("pids"))));
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
