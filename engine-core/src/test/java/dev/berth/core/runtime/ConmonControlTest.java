package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.ConflictException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Pause and resume, live resource updates, the process list and --init, in real containers; needs root. */
class ConmonControlTest extends RealContainerTest {

  private static final long MIB = 1024 * 1024;

  /** Polls {@code condition} until it holds or the harness timeout passes. */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + RuntimeHarness.TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** Asserts {@code condition} holds throughout {@code millis}, checking as often as it can. */
  static void throughout(String what, long millis, BooleanSupplier condition) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      assertTrue(condition.getAsBoolean(), what);
      Thread.yield();
    }
  }

  static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  static String cgroupFile(String controller, ContainerId id, String file) throws IOException {
    Path dir = h.runtime.cgroups().controllerDir(controller, id.hex()).orElseThrow();
    return Files.readString(dir.resolve(file)).strip();
  }

  RunSpec spec(ContainerId id, ProcessSpec process, Resources resources, boolean init) {
    var base = h.spec(id, process);
    return new RunSpec(id, base.rootfs(), false, process, base.hostname(), "", base.network(), List.of(),
        base.capabilities(), false, base.logPath(), resources, init);
  }

  ContainerId run(RunSpec spec) {
    h.create(spec);
    h.runtime.start(spec.id());
    return spec.id();
  }

  ContainerId ticking() {
    return h.run("sh", "-c", "while :; do echo tick; sleep 0.02; done");
  }

  static String execOutput(ContainerId id, String... args) throws Exception {
    try (var session = h.runtime.exec(id, new ExecSpec(HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32)),
        h.process(args), false, true))) {
      var out = new ByteArrayOutputStream();
      var channel = session.channel().orElseThrow();
      for (var chunk = channel.read(); chunk != null; chunk = channel.read()) {
        out.write(chunk.data());
      }
      assertEquals(0, session.awaitExit(), out.toString(StandardCharsets.UTF_8));
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aPausedContainerStopsTickingUntilResumed() throws Exception {
    var id = ticking();
    Path log = h.logPath(id);
    eventually("it ticks", () -> size(log) > 0);
    assertFalse(h.runtime.paused(id));

    h.runtime.pause(id);
    assertTrue(h.runtime.paused(id));
    long frozenAt = size(log);
    throughout("no tick while paused", 300, () -> size(log) == frozenAt);
    assertTrue(h.runtime.exitCode(id).isEmpty());

    h.runtime.resume(id);
    assertFalse(h.runtime.paused(id));
    eventually("it ticks again", () -> size(log) > frozenAt);
  }

  @Test
  void pauseAndResumeRefuseWhatMakesNoSense() throws Exception {
    var id = ticking();
    assertEquals("Container " + id.hex() + " is not paused",
        assertThrows(ConflictException.class, () -> h.runtime.resume(id)).getMessage());
    h.runtime.pause(id);
    assertEquals("container " + id.hex() + " is already paused",
        assertThrows(ConflictException.class, () -> h.runtime.pause(id)).getMessage());
    assertEquals("Container " + id.hex() + " is paused, unpause the container before exec",
        assertThrows(ConflictException.class,
            () -> h.runtime.exec(id, new ExecSpec("b".repeat(64), h.process("true"), false, false))).getMessage());
    h.runtime.resume(id);

    var exited = h.run("true");
    h.awaitExit(exited);
    assertEquals("container " + exited.hex() + " is not running",
        assertThrows(ConflictException.class, () -> h.runtime.pause(exited)).getMessage());
    assertFalse(h.runtime.paused(exited));
    assertFalse(h.runtime.paused(ContainerId.random()));
  }

  @Test
  void aNewEngineInstanceSeesThePause() throws Exception {
    var id = ticking();
    h.runtime.pause(id);
    try (var restarted = new ConmonRuntime(h.paths, RuntimeHarness.auto(h.paths), ConmonRuntime.findConmon(), "error")) {
      assertTrue(restarted.paused(id));
      restarted.resume(id);
    }
    assertFalse(h.runtime.paused(id));
  }

  @Test
  void sigkillEndsAPausedContainer() throws Exception {
    var id = ticking();
    h.runtime.pause(id);
    assertTrue(h.runtime.signal(id, 9));
    assertEquals(137, h.awaitExit(id));
  }

  @Test
  void anotherSignalWaitsForTheResumeAsDockerStopDoes() throws Exception {
    var id = h.run("sh", "-c", "trap 'exit 143' TERM; echo trapped; while :; do sleep 0.02; done");
    // The shell is the namespace's init: a TERM before its trap is set would be dropped, not pending.
    Path log = h.logPath(id);
    eventually("the trap is set", () -> size(log) > 0);
    h.runtime.pause(id);
    assertTrue(h.runtime.signal(id, 15));
    assertTrue(h.runtime.paused(id), "still paused: the signal is pending");
    assertTrue(h.runtime.exitCode(id).isEmpty());
    h.runtime.resume(id);
    assertEquals(143, h.awaitExit(id));
  }

  @Test
  void aPausedContainerCanBeDeleted() throws Exception {
    var id = ticking();
    var monitor = h.runtime.monitor(id).orElseThrow();
    h.runtime.pause(id);
    h.runtime.delete(id);
    assertFalse(Files.exists(h.paths.bundle(id.hex())));
    assertEquals(List.of(), h.runtime.cgroups().existing(id.hex()));
    assertFalse(h.runtime.monitorAlive(monitor));
  }

  @Test
  void updateChangesTheCgroupFilesLive() throws Exception {
    var id = h.run("sleep", "1000");
    h.runtime.update(id, new Resources(64 * MIB, 128 * MIB, null, 512L, null, null, 500_000_000L, null, null, 50L));
    assertEquals(Long.toString(64 * MIB), cgroupFile("memory", id, "memory.limit_in_bytes"));
    assertEquals(Long.toString(128 * MIB), cgroupFile("memory", id, "memory.memsw.limit_in_bytes"));
    assertEquals("512", cgroupFile("cpu", id, "cpu.shares"));
    assertEquals("100000", cgroupFile("cpu", id, "cpu.cfs_period_us"));
    assertEquals("50000", cgroupFile("cpu", id, "cpu.cfs_quota_us"));
    assertEquals("50", cgroupFile("pids", id, "pids.max"));

    // Null leaves a limit alone; -1 lifts it.
    h.runtime.update(id, new Resources(96 * MIB, -1L, null, null, null, -1L, null, null, null, 0L));
    assertEquals(Long.toString(96 * MIB), cgroupFile("memory", id, "memory.limit_in_bytes"));
    assertEquals(Long.toString(Long.MAX_VALUE & ~4095), cgroupFile("memory", id, "memory.memsw.limit_in_bytes"));
    assertEquals("512", cgroupFile("cpu", id, "cpu.shares"));
    assertEquals("-1", cgroupFile("cpu", id, "cpu.cfs_quota_us"));
    assertEquals("max", cgroupFile("pids", id, "pids.max"));
    h.runtime.update(id, Resources.NONE);
    assertEquals(Long.toString(96 * MIB), cgroupFile("memory", id, "memory.limit_in_bytes"));
  }

  @Test
  void aPausedContainerCanBeUpdatedAndAStoppedOneNot() throws Exception {
    var id = h.run("sleep", "1000");
    h.runtime.pause(id);
    h.runtime.update(id, new Resources(null, null, null, null, null, null, null, null, null, 30L));
    assertEquals("30", cgroupFile("pids", id, "pids.max"));
    h.runtime.resume(id);
    var exited = h.run("true");
    h.awaitExit(exited);
    assertThrows(ConflictException.class, () -> h.runtime.update(exited, Resources.memory(64 * MIB)));
  }

  @Test
  void theKernelsRefusalIsReported() throws Exception {
    var id = h.run("sleep", "1000");
    h.runtime.update(id, new Resources(64 * MIB, 64 * MIB, null, null, null, null, null, null, null, null));
    // A memory limit above the swap limit already set: the kernel refuses, as dockerd reports it.
    var e = assertThrows(dev.berth.core.error.InternalException.class, () -> h.runtime.update(id, Resources.memory(128 * MIB)));
    assertTrue(e.getMessage().startsWith("Cannot update container " + id.hex() + ": "), e.getMessage());
  }

  @Test
  void resourcesApplyAtCreate() throws Exception {
    var id = ContainerId.random();
    var limits = new Resources(32 * MIB, null, null, 256L, 50_000L, 20_000L, null, "0", null, 20L).withDefaultSwap();
    run(spec(id, h.process("sleep", "1000"), limits, false));
    assertEquals(Long.toString(32 * MIB), cgroupFile("memory", id, "memory.limit_in_bytes"));
    assertEquals(Long.toString(64 * MIB), cgroupFile("memory", id, "memory.memsw.limit_in_bytes"), "Docker's default swap");
    assertEquals("256", cgroupFile("cpu", id, "cpu.shares"));
    assertEquals("50000", cgroupFile("cpu", id, "cpu.cfs_period_us"));
    assertEquals("20000", cgroupFile("cpu", id, "cpu.cfs_quota_us"));
    assertEquals("0", cgroupFile("cpuset", id, "cpuset.cpus"));
    assertEquals("20", cgroupFile("pids", id, "pids.max"));
  }

  @Test
  void thePidLimitHolds() throws Exception {
    var id = ContainerId.random();
    // Room for runc exec, whose init forks up to three tasks inside the container's cgroup while it
    // sets up: with less margin the exec itself fails now and then ("read init-p").
    var limits = new Resources(null, null, null, null, null, null, null, null, null, 10L);
    run(spec(id, h.process("sleep", "1000"), limits, false));
    // init, the exec's shell and eight sleeps make ten; the ninth sleep cannot be forked.
    try (var session = h.runtime.exec(id, new ExecSpec("d".repeat(64), h.process("sh", "-c",
        "for i in 1 2 3 4 5 6 7 8 9; do sleep 1000 & done; echo unreachable"), false, true))) {
      var out = new ByteArrayOutputStream();
      var channel = session.channel().orElseThrow();
      for (var chunk = channel.read(); chunk != null; chunk = channel.read()) {
        out.write(chunk.data());
      }
      String output = out.toString(StandardCharsets.UTF_8);
      assertTrue(output.contains("can't fork"), output);
      assertFalse(output.contains("unreachable"), output);
      assertTrue(session.awaitExit() != 0);
    }
    // berth-enter's first process joins the cgroup before it forks the shell and leaves only after:
    // on a loaded machine it still holds a slot when the shell forks, so one sleep fewer may fit.
    int tasks = h.runtime.pids(id).size();
    assertTrue(tasks == 8 || tasks == 9, "init and the seven or eight sleeps: " + tasks);
    assertEquals("10", cgroupFile("pids", id, "pids.max"));
  }

  @Test
  void pidsListsEveryProcessOfTheContainer() throws Exception {
    var id = ContainerId.random();
    var monitor = h.create(h.spec(id, h.process("sh", "-c", "sleep 1000 & sleep 1000 & wait")));
    h.runtime.start(id);
    eventually("three processes", () -> h.runtime.pids(id).size() == 3);
    var pids = h.runtime.pids(id);
    assertTrue(pids.contains(monitor.pid()), pids + " has init " + monitor.pid());
    assertEquals(pids.stream().sorted().toList(), pids);
    assertFalse(pids.contains(monitor.monitorPid()), "the monitor lives outside the container");
    Path initNamespace = Files.readSymbolicLink(Path.of("/proc/" + monitor.pid() + "/ns/pid"));
    for (int pid : pids) {
      assertEquals(initNamespace, Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")), "pid " + pid);
    }
    try (var session = h.runtime.exec(id, new ExecSpec("c".repeat(64), h.process("sleep", "1000"), false, false))) {
      // The exec's process moves itself into the container's cgroups before it runs its command.
      eventually("the exec in the container's cgroup", () -> h.runtime.pids(id).contains(session.pid()));
    }
    h.runtime.signal(id, 9);
    h.awaitExit(id);
    eventually("no process left", () -> h.runtime.pids(id).isEmpty());
  }

  @Test
  void initIsPidOneAndReapsOrphans() throws Exception {
    assertTrue(Executables.findInit().isPresent(), "needs tini (apt-get install tini)");
    // The subshell leaves an orphan, which the kernel hands to PID 1.
    var orphanMaker = h.process("sh", "-c", "(sleep 0.1 &); exec sleep 1000");
    var withInit = run(spec(ContainerId.random(), orphanMaker, Resources.NONE, true));
    var without = run(spec(ContainerId.random(), orphanMaker, Resources.NONE, false));

    String ps = execOutput(withInit, "ps");
    var pidOne = ps.lines().filter(l -> l.strip().startsWith("1 ")).findFirst().orElseThrow(() -> new AssertionError(ps));
    assertTrue(pidOne.contains("/sbin/docker-init -- sh -c"), ps);
    assertEquals("/sbin/docker-init\0--\0sh\0", execOutput(withInit, "head", "-c", "24", "/proc/1/cmdline"));

    // Without an init, PID 1 (sleep) never waits: the orphan stays a zombie. With one, it is reaped.
    eventually("a zombie without init", () -> !zombieChildren(without).isEmpty());
    eventually("the orphan gone with init", () -> h.runtime.pids(withInit).size() == 2 && zombieChildren(withInit).isEmpty());
    assertFalse(zombieChildren(without).isEmpty(), "the zombie stays");
  }

  // Zombies leave their cgroup, so look for them among the children of the container's processes.
  private static List<Integer> zombieChildren(ContainerId id) {
    var parents = h.runtime.pids(id);
    return processes().stream().filter(p -> p.state().equals("Z") && parents.contains(p.ppid())).map(Proc::pid)
        .toList();
  }
}
