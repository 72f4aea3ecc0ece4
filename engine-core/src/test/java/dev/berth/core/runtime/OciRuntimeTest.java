package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OciRuntimeTest {

  private static OciRuntime.Host host(boolean pureV2, String... installed) {
    var found = new java.util.HashMap<String, Path>();
    for (String name : installed) {
      found.put(name, Path.of("/usr/bin/" + name));
    }
    return new OciRuntime.Host(pureV2, name -> Optional.ofNullable(found.get(name)));
  }

  @Test
  void autoPrefersCrunOnPureCgroupV2() {
    assertEquals("crun", OciRuntime.select("auto", host(true, "runc", "crun")).name());
  }

  @Test
  void autoTakesRuncOnHybridOrV1Hosts() {
    var runtime = OciRuntime.select("auto", host(false, "runc", "crun"));
    assertEquals("runc", runtime.name());
    assertEquals(Path.of("/usr/bin/runc"), runtime.binary());
  }

  @Test
  void autoFallsBackToWhatIsInstalled() {
    assertEquals("runc", OciRuntime.select("auto", host(true, "runc")).name());
    assertEquals("crun", OciRuntime.select("auto", host(false, "crun")).name());
    assertThrows(InvalidArgumentException.class, () -> OciRuntime.select("auto", host(true)));
  }

  @Test
  void explicitNamesMustBeInstalled() {
    assertEquals("crun", OciRuntime.select("crun", host(false, "crun")).name());
    var e = assertThrows(InvalidArgumentException.class, () -> OciRuntime.select("crun", host(true, "runc")));
    assertTrue(e.getMessage().contains("crun"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> OciRuntime.select("kata", host(true, "runc")));
  }

  @Test
  void anAbsolutePathMustBeExecutable() {
    assertEquals("sh", OciRuntime.select("/bin/sh", host(true)).name());
    assertThrows(InvalidArgumentException.class, () -> OciRuntime.select("/nonexistent/runc", host(true)));
  }

  @Test
  void everyCallCarriesTheStateRoot() {
    var runtime = new OciRuntime("runc", Path.of("/usr/sbin/runc"), List.of("--log-format=json"));
    assertEquals(List.of("/usr/sbin/runc", "--log-format=json", "--root=/run/berth/runtime", "start", "abc"),
        runtime.command(Path.of("/run/berth/runtime"), "start", "abc"));
    assertEquals(List.of("--log-format=json", "--root=/run/berth/runtime"), runtime.globalArgs(Path.of("/run/berth/runtime")));
  }

  @Test
  void runtimeErrorsAreTakenFromJsonLogLines() {
    String stderr = "{\"level\":\"warning\",\"msg\":\"ignored\",\"time\":\"t\"}\n"
        + "{\"level\":\"error\",\"msg\":\"runc create failed: unable to start container process: exec: \\\"nosuch\\\": "
        + "executable file not found in $PATH\",\"time\":\"2026-11-23T08:48:35Z\"}\n";
    assertEquals("runc create failed: unable to start container process: exec: \"nosuch\": executable file not found in $PATH",
        OciRuntime.errorMessage(stderr));
    assertEquals("plain text error", OciRuntime.errorMessage("  plain text error\n"));
  }

  @Test
  void syncMessagesCarryPidOrError() throws Exception {
    assertEquals(new SyncMessage(1234, ""), SyncMessage.parse("{\"data\": 1234}"));
    var failed = SyncMessage.parse("{\"data\": -1, \"message\": \"{\\\"level\\\":\\\"error\\\",\\\"msg\\\":\\\"bad cwd\\\"}\\n\"}");
    assertTrue(failed.failed());
    assertEquals("bad cwd", failed.runtimeError());
    assertThrows(java.io.IOException.class, () -> SyncMessage.parse("{\"pid\": 1}"));
  }

  @Test
  void hostLimitsParseProcFiles() {
    String limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max processes             96365                96365                processes
        Max open files            1024                 20000                files
        Max realtime timeout      unlimited            unlimited            us
        """;
    Map<String, Long> parsed = HostLimits.parseLimits(limits);
    assertEquals(20000L, parsed.get("RLIMIT_NOFILE"));
    assertEquals(96365L, parsed.get("RLIMIT_NPROC"));
    assertEquals(DockerDefaults.Rlimit.UNLIMITED, parsed.get("RLIMIT_CPU"));
    assertEquals(DockerDefaults.Rlimit.UNLIMITED, parsed.get("RLIMIT_RTTIME"));
    var caps = HostLimits.parseBoundingSet("Name:\tjava\nCapBnd:\t000001fffeffffff\n");
    assertEquals(40, caps.size(), "41 capabilities less CAP_SYS_RESOURCE");
    assertTrue(caps.contains("CAP_CHECKPOINT_RESTORE"));
    assertTrue(!caps.contains("CAP_SYS_RESOURCE"));
  }

  @Test
  void cgroupHierarchiesComeFromMountinfo() {
    var lines = List.of(
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
        "33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
        "99 31 0:38 / /mnt/again rw,relatime - cgroup2 cgroup2 rw");
    assertEquals(List.of(
            CgroupTree.Hierarchy.v1(Path.of("/sys/fs/cgroup/cpu"), "cpu"),
            CgroupTree.Hierarchy.v1(Path.of("/sys/fs/cgroup/cpu,cpuacct"), "cpu", "cpuacct"),
            CgroupTree.Hierarchy.v1(Path.of("/sys/fs/cgroup/cpuset"), "cpuset"),
            CgroupTree.Hierarchy.v1(Path.of("/sys/fs/cgroup/systemd")),
            CgroupTree.Hierarchy.v2(Path.of("/sys/fs/cgroup/unified"))),
        CgroupTree.parseMountinfo(lines));
    assertTrue(CgroupTree.parseMountinfo(lines).get(2).cpuset());
    assertTrue(!CgroupTree.parseMountinfo(lines).get(1).cpuset());
    var tree = new CgroupTree("/berth", List.of());
    assertThrows(IllegalArgumentException.class, () -> tree.create("../process_api"));
    assertThrows(IllegalArgumentException.class, () -> new CgroupTree("/", List.of()));
  }
}
