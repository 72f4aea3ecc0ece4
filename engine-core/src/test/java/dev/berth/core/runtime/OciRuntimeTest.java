package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private static OciRuntime.Host hybrid(boolean hiderRuns, String... installed) {
    var found = new java.util.HashMap<String, Path>();
    for (String name : installed) {
      found.put(name, Path.of("/usr/bin/" + name));
    }
    return new OciRuntime.Host(false, true, name -> Optional.ofNullable(found.get(name)),
        crun -> hiderRuns ? Optional.of(new Cgroup2Hider.Installed(Path.of("/run/berth/berth-hide-cgroup2"), crun))
            : Optional.empty());
  }

  @Test
  void onAHybridHostCrunRunsThroughTheHider() {
    var crun = OciRuntime.select("auto", hybrid(true, "runc", "crun"));
    assertEquals("crun", crun.name());
    assertEquals(Path.of("/usr/bin/crun"), crun.binary(), "what docker info shows");
    var state = Path.of("/run/berth/runtime");
    assertEquals(List.of("/run/berth/berth-hide-cgroup2", "--berth-runtime=/usr/bin/crun", "--log-format=json",
        "--root=/run/berth/runtime", "kill", "abc", "9"), crun.command(state, "kill", "abc", "9"));
    assertEquals(List.of("--berth-cgroup2=/sys/fs/cgroup/unified/berth/abc", "--berth-runtime=/usr/bin/crun",
        "--log-format=json", "--root=/run/berth/runtime"),
        crun.createArgs(state, Path.of("/sys/fs/cgroup/unified/berth/abc")));
    assertEquals(Set.of("runc", "io.containerd.runc.v2", "crun"),
        OciRuntime.builtIn(hybrid(true, "runc", "crun")).keySet());
  }

  @Test
  void onAHybridHostWhereTheHiderFailsRuncIsTaken() {
    assertEquals("runc", OciRuntime.select("auto", hybrid(false, "runc", "crun")).name());
    assertEquals(Set.of("runc", "io.containerd.runc.v2"), OciRuntime.builtIn(hybrid(false, "runc", "crun")).keySet());
    var direct = new OciRuntime("runc", Path.of("/usr/bin/runc"), List.of());
    assertEquals(List.of("--root=/r"), direct.createArgs(Path.of("/r"), Path.of("/sys/fs/cgroup/unified/x")),
        "runc places the container in the cgroup2 tree itself");
  }

  @Test
  void crunsRefusalsAreWordedAsRuncWordsThem() {
    var crun = new OciRuntime("crun", Path.of("/usr/bin/crun"), List.of());
    var notFound = crun.refusal("executable file `nosuch` not found in $PATH: No such file or directory", "nosuch");
    assertEquals("crun create failed: unable to start container process: exec: \"nosuch\": "
        + "executable file not found in $PATH", notFound.getMessage());
    assertEquals(127, notFound.exitCode());
    var missing = crun.refusal("executable file `/no/x` not found in $PATH: No such file or directory", "/no/x");
    assertEquals("crun create failed: unable to start container process: exec: \"/no/x\": stat /no/x: "
        + "no such file or directory", missing.getMessage());
    assertEquals(127, missing.exitCode());
    var denied = crun.refusal("open executable: Operation not permitted", "/etc");
    assertEquals("crun create failed: unable to start container process: exec: \"/etc\": permission denied",
        denied.getMessage());
    assertEquals(126, denied.exitCode());
    var chdir = crun.refusal("chdir `/etc/passwd`: Not a directory", "true");
    assertEquals("crun create failed: unable to start container process: error during container init: "
        + "mkdir /etc/passwd: not a directory", chdir.getMessage());
    assertEquals(128, chdir.exitCode());
    assertEquals("crun create failed: sysctl \"kernel.printk\" is not in a separate kernel namespace",
        crun.refusal("the sysctl `kernel.printk` is not namespaced", "true").getMessage());
    assertEquals("crun create failed: unable to start container process: error during container init: error "
        + "setting rlimits for ready process: error setting rlimit type 7: invalid argument",
        crun.refusal("setrlimit `RLIMIT_NOFILE`: Invalid argument", "true").getMessage());
    assertEquals("write to /proc/self/oom_score_adj: Permission denied",
        crun.refusal("write to /proc/self/oom_score_adj: Permission denied", "true").getMessage(),
        "anything else in crun's own words");
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

  @Test
  void theHiderBecomesTheSealedCopyOfCrunWhileInfoShowsItsBinary() {
    var host = new OciRuntime.Host(false, true, name -> Optional.of(Path.of("/usr/bin/" + name)),
        crun -> Optional.of(new Cgroup2Hider.Installed(Path.of("/run/berth/berth-hide-cgroup2"),
            Path.of("/proc/42/fd/7"))));
    var crun = OciRuntime.select("auto", host);
    assertEquals(Path.of("/usr/bin/crun"), crun.binary());
    assertEquals(List.of("/run/berth/berth-hide-cgroup2", "--berth-runtime=/proc/42/fd/7", "--log-format=json",
        "--root=/run/berth/runtime", "state", "abc"), crun.command(Path.of("/run/berth/runtime"), "state", "abc"));
  }

  @Test
  void theHiderRunsASealedCopyOfTheRuntimeFromAPathOtherProcessesCanOpen(@TempDir Path dir) throws Exception {
    assumeTrue(Cgroup2Hider.class.getResource(Cgroup2Hider.PROGRAM) != null, "engine-core built with gcc");
    assumeTrue(Cgroup2Hider.hybridHost(), "a hybrid cgroup host, as the hider expects");
    // env answers --version, then runs what it is given.
    var env = Cgroup2Hider.install(dir, Path.of("/usr/bin/env")).orElseThrow();
    assertEquals(Cgroup2Hider.place(dir).orElseThrow(), env.program());
    assertTrue(env.executes().toString().startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/"),
        env.executes().toString());
    var outcome = dev.berth.core.os.Processes.run(env.executes(), List.of("env", "/bin/sh", "-c",
        "echo copied >&2; exit 4"), List.of(), null);
    assertEquals(new dev.berth.core.os.Processes.Outcome(4, "copied\n"), outcome);
    assertEquals(Optional.empty(), Cgroup2Hider.install(dir, Path.of("/nonexistent/crun")));
    assertEquals(Optional.empty(), Cgroup2Hider.install(dir, Path.of("/bin/false")), "neither answers");
  }

  @Test
  void theHiderIsCopiedOncePerBuildUnderANameItsContentGivesAndOtherBuildsCopiesGo(@TempDir Path dir)
      throws Exception {
    assumeTrue(Cgroup2Hider.class.getResource(Cgroup2Hider.PROGRAM) != null, "engine-core built with gcc");
    byte[] program;
    try (var in = Cgroup2Hider.class.getResourceAsStream(Cgroup2Hider.PROGRAM)) {
      program = in.readAllBytes();
    }
    String digest = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(program));
    Path older = Files.writeString(dir.resolve(Cgroup2Hider.PROGRAM + "-0123456789abcdef"), "another build's");
    Path partial = Files.writeString(dir.resolve(Cgroup2Hider.PROGRAM + "4242.partial"), "a crash's");
    Path unrelated = Files.createDirectory(dir.resolve("bundles"));

    Path placed = Cgroup2Hider.place(dir).orElseThrow();

    assertEquals(dir.resolve(Cgroup2Hider.PROGRAM + "-" + digest.substring(0, 16)), placed);
    assertTrue(java.util.Arrays.equals(program, Files.readAllBytes(placed)), "the whole program");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(placed)));
    assertFalse(Files.exists(older), "another build's copy goes");
    assertFalse(Files.exists(partial), "a partial copy goes");
    assertTrue(Files.isDirectory(unrelated), "the rest of the exec root stays");
    Object written = Files.readAttributes(placed, BasicFileAttributes.class).fileKey();
    FileTime stamp = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(placed, stamp);

    assertEquals(placed, Cgroup2Hider.place(dir).orElseThrow());
    assertEquals(written, Files.readAttributes(placed, BasicFileAttributes.class).fileKey(), "found, not copied again");
    assertEquals(stamp, Files.getLastModifiedTime(placed));
  }
}
