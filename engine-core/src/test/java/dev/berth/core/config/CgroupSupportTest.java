package dev.berth.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupSupportTest {

  private static void touch(Path root, String... files) throws IOException {
    for (String f : files) {
      Path p = root.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "");
    }
  }

  @Test
  void aV1HostSupportsWhatItsControlFilesOffer(@TempDir Path root) throws IOException {
    touch(root, "memory/memory.memsw.limit_in_bytes", "memory/memory.soft_limit_in_bytes", "memory/memory.oom_control",
        "memory/memory.swappiness", "pids/tasks", "cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.rt_period_us",
        "cpuset/tasks", "blkio/blkio.throttle.read_bps_device", "blkio/blkio.throttle.write_bps_device",
        "blkio/blkio.throttle.read_iops_device", "blkio/blkio.throttle.write_iops_device");
    // Block I/O weight needs CFQ or BFQ, which this fixture (like the build host) lacks.
    assertEquals(new CgroupSupport(true, true, true, true, true, true, true, true, true, true, false, false, true, true,
        true, true, false), CgroupSupport.detect(root));
  }

  @Test
  void aV2HostHasNoOomSwitchSwappinessOrRealTime(@TempDir Path root) throws IOException {
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    touch(root, "system.slice/memory.swap.max");
    var s = CgroupSupport.detect(root);
    assertTrue(s.memoryLimit() && s.swapLimit() && s.blkioWeight() && s.blkioReadBpsDevice() && s.cpuCfs());
    assertFalse(s.oomKillDisable() || s.memorySwappiness() || s.cpuRealtime());
  }
}
