package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.attach.AttachService;
import dev.berth.core.container.attach.LogService;
import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.ExitStatus;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.InMemoryContainerRepository;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.Signals;
import dev.berth.core.container.model.WaitCondition;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.NotModifiedException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.core.runtime.FakeRuntime;
import dev.berth.core.runtime.MonitorProcess;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.RunNamespaces;
import dev.berth.core.runtime.RunSpec;
import dev.berth.core.runtime.SharedNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle's transitions, failures and recovery over fakes of the runtime, the sandbox, the
 * filesystem and the volumes, with time run by hand: no kernel, no root, no waiting. The fakes
 * share one journal, so the order of the calls into them is checked as well as what they hold.
 */
class ContainerLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ImageId BUSYBOX = new ImageId(new Digest("b".repeat(64)));
  private static final String NOT_FOUND =
      "runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH";
  /** What a start does with the runtime, the sandbox, the filesystem and the volumes, in order. */
  private static final List<String> LAUNCH = List.of("fs.mount", "sandbox.namespace", "sandbox.setUp",
      "volumes.acquire", "volumes.announce mount", "runtime.create", "sandbox.ready", "runtime.start",
      "sandbox.announce connect");
  /** What ending a run (an exit, a failed start) undoes, in order. */
  private static final List<String> CLEAN_UP = List.of("runtime.delete", "sandbox.tearDown", "fs.unmount",
      "volumes.release", "volumes.announce unmount");

  @TempDir
  Path tmp;

  private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final InMemoryContainerRepository repository = new InMemoryContainerRepository();
  private final FakeRuntime runtime = new FakeRuntime(journal);
  private final FakeSandbox sandbox = new FakeSandbox(journal);
  private final FakeVolumes volumes = new FakeVolumes(journal);
  private final EventBus bus = new EventBus(clock);
  private final EventBus.Subscription events = bus.subscribe(null);
  private FakeFilesystem fs;
  private ContainerLifecycle lifecycle;
  private LogService logs;

  @BeforeEach
  void wire() {
    fs = new FakeFilesystem(tmp.resolve("containers"), journal);
    var containerEvents = new ContainerEvents(bus);
    var lookup = new ContainerLookup(repository);
    var locks = new ContainerLocks();
    // Exec and attach keep their state in memory; the rootfs they read for an exec or a log is
    // never asked for here.
    var unread = new ContainerRootfs(new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth"), null);
    var execs = new ExecService(lookup, runtime, unread, containerEvents);
    logs = new LogService(lookup, unread);
    var attach = new AttachService(lookup, runtime, locks, logs, containerEvents);
    var specs = new RunSpecFactory(new ContainerFiles(tmp.resolve("no-resolv.conf"), tmp.resolve("no-hosts")),
        List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"),
        SecurityDefaults.docker(false));
    lifecycle = new ContainerLifecycle(lookup, repository, runtime, fs, volumes, sandbox, specs, attach, execs,
        new HealthMonitor(execs, containerEvents, clock), locks, containerEvents, scheduler, clock);
    runtime.onExit(lifecycle::handleExit);
    runtime.onOom(lifecycle::handleOom);
  }

  @AfterEach
  void close() {
    events.close();
    lifecycle.close();
  }

  // ---- fixtures

  private static ContainerId id(String name) {
    String hex = HexFormat.of().formatHex(name.getBytes(StandardCharsets.US_ASCII));
    return new ContainerId(hex + "0".repeat(64 - hex.length()));
  }

  private static ContainerConfig config(String stopSignal, String user) {
    return new ContainerConfig("busybox", null, List.of("sh"), null, null, user, "box", null, null, false, false,
        false, false, false, false, stopSignal, null, null, null, null, null, null, false);
  }

  private static HostConfig restart(RestartPolicy p) {
    return HostConfig.DEFAULT.withRestartPolicy(p);
  }

  private static final HostConfig AUTO_REMOVE = new HostConfig(true, "default", RestartPolicy.NO, 0, 0, false, false,
      null, null, null, null, null, null, null, null);

  private static final MountPoint ANONYMOUS = new MountPoint(MountType.VOLUME, "f".repeat(64), "/volumes/anon",
      "/data", "local", "", true, "", true, true, false, false, null);
  private static final MountPoint NAMED = new MountPoint(MountType.VOLUME, "named", "/volumes/named", "/named",
      "local", "z", true, "", false, true, false, false, null);

  private Container put(String name, HostConfig hc, ContainerState state, ContainerConfig config,
      List<MountPoint> mounts) {
    var c = new Container(id(name), new ContainerName(name), T0, BUSYBOX, config, hc, state, 0, mounts);
    repository.insert(c);
    return c;
  }

  private Container created(String name, HostConfig hc) {
    return put(name, hc, ContainerState.Created.FRESH, config("", ""), List.of(ANONYMOUS, NAMED));
  }

  private Container created(String name) {
    return created(name, HostConfig.DEFAULT);
  }

  /** A container that runs, started through the lifecycle; the journal and events start after it. */
  private Container running(String name, HostConfig hc) {
    Container c = created(name, hc);
    lifecycle.start(name);
    journal.clear();
    drainEvents();
    return c;
  }

  private Container running(String name) {
    return running(name, HostConfig.DEFAULT);
  }

  /** A container recorded as running by an earlier berthd, whose process the runtime still has. */
  private Container runningBefore(String name, HostConfig hc) {
    MonitorProcess p = runtime.adopt(id(name));
    return put(name, hc, new ContainerState.Running(p.pid(), p.monitorPid(), p.monitorStartTime(), T0),
        config("", ""), List.of());
  }

  private ContainerState state(Container c) {
    return repository.find(c.id()).orElseThrow().state();
  }

  private Container record(Container c) {
    return repository.find(c.id()).orElseThrow();
  }

  /** The container events published since the last call, as {@code action} or {@code action:exitCode}. */
  private List<String> drainEvents() {
    var out = new ArrayList<String>();
    try {
      for (EngineEvent e = events.next(0); e != null; e = events.next(0)) {
        if (e.type() == EngineEvent.Type.CONTAINER) {
          String code = e.attributes().get("exitCode");
          String signal = e.attributes().get("signal");
          out.add(e.action() + (code != null ? ":" + code : signal != null ? ":" + signal : ""));
        }
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> upTo(String last) {
    return LAUNCH.subList(0, LAUNCH.indexOf(last) + 1);
  }

  private List<Duration> restartDelays() {
    return scheduler.delays("restart-");
  }

  // ---- start

  @Test
  void startRecordsRunningWithThePidAndEmitsStart() {
    Container c = created("web");
    lifecycle.start("web");

    var running = assertInstanceOf(ContainerState.Running.class, state(c));
    RunSpec spec = runtime.spec(c.id()).orElseThrow();
    assertEquals(4000, running.pid(), "the pid the runtime gave");
    assertEquals(4001, running.monitorPid());
    assertEquals(T0, running.startedAt());
    assertEquals(0, record(c).restartCount());
    assertEquals(LAUNCH, journal);
    assertEquals(List.of("start"), drainEvents());
    assertTrue(runtime.isRunning(c.id()));
    assertTrue(sandbox.isUp(c.id()));
    assertTrue(fs.isMounted(c.id()));
    assertTrue(volumes.holds(c.id()));

    // The spec is made of what the ports handed over.
    assertEquals(fs.dir(c.id()).resolve("rootfs"), spec.rootfs());
    assertEquals(fs.logPath(c.id()), spec.logPath());
    assertEquals(Path.of("/run/fake/netns", c.id().hex()), spec.network().path());
    assertEquals(List.of("/data", "/named", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"),
        spec.mounts().stream().map(RunMount::destination).toList());
    assertEquals(List.of("sh"), spec.process().args());
  }

  @Test
  void startOfARunningContainerIsNotModifiedAndOfAPausedOneAConflict() {
    Container c = running("web");
    assertEquals("container already started",
        assertThrows(NotModifiedException.class, () -> lifecycle.start("web")).getMessage());
    lifecycle.pause("web");
    assertEquals("cannot start a paused container, try unpause instead",
        assertThrows(ConflictException.class, () -> lifecycle.start("web")).getMessage());
    assertEquals(List.of("runtime.pause"), journal, "nothing else was touched");
    assertInstanceOf(ContainerState.Paused.class, state(c));
  }

  @Test
  void aStartTheRuntimeRefusesRecordsItsExitCodeAndUndoesEverything() {
    Container c = created("web");
    runtime.refuseCreate(NOT_FOUND, 127);

    var e = assertThrows(InvalidArgumentException.class, () -> lifecycle.start("web"));

    String words = "failed to create task for container: OCI runtime create failed: " + NOT_FOUND;
    assertEquals(words, e.getMessage());
    assertEquals(new ContainerState.Created(127, words), state(c));
    assertEquals(concat(upTo("runtime.create"), CLEAN_UP), journal);
    assertFalse(runtime.exists(c.id()), "runtime state deleted");
    assertFalse(sandbox.isUp(c.id()), "network torn down");
    assertFalse(fs.isMounted(c.id()), "rootfs unmounted");
    assertFalse(volumes.holds(c.id()), "volumes released");
    assertEquals(List.of(), drainEvents(), "no start, no die");
  }

  @Test
  void aRefusalThatCannotRunRecords126AndARestartedOneKeepsItsTimes() {
    var before = new ContainerState.Exited(0, T0.minusSeconds(60), T0.minusSeconds(30), "", false, false);
    Container c = put("web", HostConfig.DEFAULT, before, config("", ""), List.of());
    runtime.refuseCreate("exec: \"/etc\": permission denied", 126);

    assertThrows(InvalidArgumentException.class, () -> lifecycle.start("web"));

    var failed = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(126, failed.exitCode());
    assertEquals(before.startedAt(), failed.startedAt());
    assertEquals(before.finishedAt(), failed.finishedAt());
    assertEquals("failed to create task for container: OCI runtime create failed: exec: \"/etc\": permission denied",
        failed.error());
  }

  @Test
  void aNetworkFailureUndoesWhatRanBesideItAndStartsNothing() {
    Container c = created("web");
    var plugin = new InternalException("plugin type=\"bridge\" failed (add): no IP addresses available");
    sandbox.failAt("setUp", plugin);

    assertSame(plugin, assertThrows(InternalException.class, () -> lifecycle.start("web")));

    // The runtime creates the container while the networks are joined; it never starts it.
    assertEquals(concat(upTo("runtime.create"), CLEAN_UP), journal, "the create was undone; nothing after it ran");
    assertEquals(ContainerState.Created.FRESH, state(c), "the machinery failed, not the container: nothing recorded");
    assertFalse(sandbox.isUp(c.id()));
    assertFalse(fs.isMounted(c.id()));
    assertFalse(volumes.holds(c.id()));
    assertFalse(runtime.exists(c.id()));
  }

  @Test
  void aUserMissingFromTheImageFailsTheSpecAfterTheVolumesAreHeldAndReleasesThem() {
    Container c = put("web", HostConfig.DEFAULT, ContainerState.Created.FRESH, config("", "nobody"), List.of(NAMED));

    var e = assertThrows(InvalidArgumentException.class, () -> lifecycle.start("web"));

    String words = "unable to find user nobody: no matching entries in passwd file";
    assertEquals(words, e.getMessage());
    assertEquals(new ContainerState.Created(128, words), state(c));
    assertEquals(concat(upTo("volumes.acquire"), CLEAN_UP), journal);
    assertFalse(volumes.holds(c.id()));
    assertFalse(sandbox.isUp(c.id()));
  }

  @Test
  void aDeviceMissingFromTheHostFailsTheSpecInDockerdsOwnWords() {
    var host = HostConfig.DEFAULT.withProcess(new dev.berth.core.container.model.ProcessOptions(null, null,
        List.of(new dev.berth.core.container.model.ProcessOptions.DeviceMapping("/dev/berth-nope", "/dev/x", "rwm")),
        null, null, 0));
    Container c = put("web", host, ContainerState.Created.FRESH, config("", ""), List.of(NAMED));

    var e = assertThrows(InvalidArgumentException.class, () -> lifecycle.start("web"));

    String words = "error gathering device information while adding custom device \"/dev/berth-nope\": no such file "
        + "or directory";
    assertEquals(words, e.getMessage(), "no runtime prefix: dockerd refuses it before any runtime runs (issue 11)");
    assertEquals(new ContainerState.Created(128, words), state(c));
    assertEquals(concat(upTo("volumes.acquire"), CLEAN_UP), journal);
    assertFalse(volumes.holds(c.id()));
  }

  @Test
  void aFailureOfTheRuntimesStartDeletesWhatItCreated() {
    Container c = created("web");
    runtime.failAt("start", new InternalException("runc start: container not in created state"));

    assertThrows(InternalException.class, () -> lifecycle.start("web"));

    assertEquals(concat(upTo("runtime.start"), CLEAN_UP), journal);
    assertFalse(runtime.exists(c.id()));
    assertEquals(ContainerState.Created.FRESH, state(c));
  }

  @Test
  void anAutoRemoveContainerWhoseStartFailsIsRemoved() {
    Container c = created("once", AUTO_REMOVE);
    runtime.refuseCreate(NOT_FOUND, 127);
    CompletableFuture<ExitStatus> removed = lifecycle.waitFor("once", WaitCondition.REMOVED);

    var e = assertThrows(InvalidArgumentException.class, () -> lifecycle.start("once"));

    assertTrue(e.getMessage().endsWith(NOT_FOUND));
    assertTrue(repository.find(c.id()).isEmpty(), "the record is gone");
    assertTrue(fs.destroyed(c.id()));
    assertEquals(List.of(ANONYMOUS.name()), volumes.removedVolumes(), "`run --rm` takes its anonymous volumes");
    // moby SetRemoved clears the error before it wakes the waiters: {"Error":null,"StatusCode":127}.
    assertEquals(new ExitStatus(127, ""), removed.getNow(null), "`run --rm` waits for the removal");
    assertEquals(List.of("destroy"), drainEvents());
  }

  // ---- stop, kill, pause

  @Test
  void stopSendsTheStopSignalAndRecordsExitedByTheUser() {
    Container c = running("web");

    lifecycle.stop("web", null, null);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(143, exited.exitCode());
    assertTrue(exited.stoppedByUser());
    assertEquals(List.of(Signals.SIGTERM), runtime.signals(c.id()));
    assertEquals(concat(List.of("runtime.signal 15"), CLEAN_UP), journal.subList(0, 6));
    assertEquals(List.of("sandbox.announce disconnect"), journal.subList(6, journal.size()));
    assertEquals(List.of("kill:15", "die:143", "stop"), drainEvents());
    assertTrue(scheduler.pending().isEmpty(), "no timeout left waiting, no restart");
  }

  @Test
  void stopUsesTheContainersStopSignal() {
    Container c = put("web", HostConfig.DEFAULT, ContainerState.Created.FRESH, config("SIGINT", ""), List.of());
    lifecycle.start("web");

    lifecycle.stop("web", null, null);

    assertEquals(130, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode());
  }

  @Test
  void stopKillsAProcessThatIgnoresItsStopSignalOnceTheTimeoutPasses() throws Exception {
    Container c = running("web");
    runtime.ignore(Signals.SIGTERM);

    var stopping = CompletableFuture.runAsync(() -> lifecycle.stop("web", null, null));
    ManualScheduler.Task timeout = scheduler.awaitNext();
    assertEquals(Duration.ofSeconds(10), timeout.delay, "dockerd's default stop timeout");
    assertEquals(List.of("runtime.signal 15"), journal, "nothing but the stop signal before the timeout");
    assertFalse(stopping.isDone());

    timeout.run();
    stopping.get(10, TimeUnit.SECONDS);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(137, exited.exitCode());
    assertTrue(exited.stoppedByUser());
    assertEquals(List.of(Signals.SIGTERM, Signals.SIGKILL), runtime.signals(c.id()));
    assertEquals(List.of("runtime.signal 15", "runtime.signal 9"), journal.subList(0, 2));
    assertEquals(List.of("kill:15", "die:137", "stop"), drainEvents());
  }

  @Test
  void stopWithATimeoutOfItsOwnWaitsThatLong() throws Exception {
    running("web");
    runtime.ignore(Signals.SIGTERM);

    var stopping = CompletableFuture.runAsync(() -> lifecycle.stop("web", 3, null));
    ManualScheduler.Task timeout = scheduler.awaitNext();
    assertEquals(Duration.ofSeconds(3), timeout.delay);
    timeout.run();
    stopping.get(10, TimeUnit.SECONDS);
  }

  @Test
  void stopOfAStoppedContainerIsNotModified() {
    created("web");
    assertEquals("container already stopped",
        assertThrows(NotModifiedException.class, () -> lifecycle.stop("web", null, null)).getMessage());
  }

  @Test
  void stopOfAPausedContainerThawsItSoItCanActOnTheSignal() {
    Container c = running("web");
    lifecycle.pause("web");

    lifecycle.stop("web", null, null);

    assertEquals(143, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode());
    assertEquals(List.of("runtime.pause", "runtime.signal 15", "runtime.resume"), journal.subList(0, 3),
        "the signal waits in the frozen process until the thaw");
  }

  @Test
  void killOfAPausedContainerWithItsStopSignalThawsItAndIsTheUsersStop() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    lifecycle.pause("web");
    journal.clear();
    drainEvents();

    lifecycle.kill("web", "SIGTERM");

    assertEquals(List.of("runtime.signal 15", "runtime.resume"), journal.subList(0, 2),
        "dockerd 28 signals, then thaws so the signal is acted on");
    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(143, exited.exitCode());
    assertTrue(exited.stoppedByUser(), "its policy does not restart it");
    assertEquals(List.of("kill:15", "die:143"), drainEvents());
  }

  @Test
  void killOfAPausedContainerWithAnotherSignalThanItsStopSignalLeavesItPaused() {
    Container c = put("web", HostConfig.DEFAULT, ContainerState.Created.FRESH, config("SIGUSR1", ""), List.of());
    lifecycle.start("web");
    lifecycle.pause("web");
    journal.clear();

    lifecycle.kill("web", "SIGHUP");

    assertEquals(List.of("runtime.signal 1"), journal, "the signal waits in the frozen process");
    assertInstanceOf(ContainerState.Paused.class, state(c));
    lifecycle.unpause("web");
    assertEquals(129, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode());
  }

  @Test
  void pauseAndUnpauseRefuseInDockerdsWords() {
    Container c = running("web");
    var notPaused = assertThrows(InternalException.class, () -> lifecycle.unpause("web"));
    assertEquals("Container " + c.id().hex() + " is not paused", notPaused.getMessage());
    lifecycle.pause("web");
    var paused = assertThrows(ConflictException.class, () -> lifecycle.pause("web"));
    assertEquals("Container " + c.id().hex() + " is already paused", paused.getMessage());
  }

  @Test
  void sigkillOfAPausedContainerKillsIt() {
    Container c = running("web");
    lifecycle.pause("web");

    lifecycle.kill("web", "KILL");

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(137, exited.exitCode());
    assertTrue(exited.stoppedByUser());
  }

  @Test
  void killOfAStoppedContainerIsAConflictInDockerdsWords() {
    Container c = created("web");
    var e = assertThrows(ConflictException.class, () -> lifecycle.kill("web", null));
    assertEquals("cannot kill container: web: container " + c.id().hex() + " is not running", e.getMessage());
  }

  @Test
  void killWithAnotherSignalThanItsStopSignalLeavesTheContainerToItsPolicy() {
    Container c = put("web", HostConfig.DEFAULT, ContainerState.Created.FRESH, config("SIGUSR1", ""), List.of());
    lifecycle.start("web");
    lifecycle.kill("web", "SIGHUP");
    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(129, exited.exitCode());
    assertFalse(exited.stoppedByUser(), "only SIGKILL or its stop signal is the user's stop");
  }

  @Test
  void killWithAnySignalOfAContainerWithoutStopSignalIsTheUsersStop() {
    // dockerd 28 kill.go: with no StopSignal configured every signal calls ExitOnNext.
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    lifecycle.kill("web", "SIGHUP");
    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(129, exited.exitCode());
    assertTrue(exited.stoppedByUser());
  }

  @Test
  void pauseAndUnpauseGoThroughTheRuntimeAndKeepThePid() {
    Container c = running("web");
    var before = assertInstanceOf(ContainerState.Running.class, state(c));
    lifecycle.pause("web");
    var paused = assertInstanceOf(ContainerState.Paused.class, state(c));
    assertEquals(before.pid(), paused.pid());
    lifecycle.unpause("web");
    assertEquals(before, state(c));
    assertEquals(List.of("pause", "unpause"), drainEvents());
  }

  // ---- exits and restart policies

  @Test
  void anExitIsRecordedAndTheRunUndone() {
    Container c = running("web");
    clock.advance(Duration.ofSeconds(5));

    runtime.exit(c.id(), 3);

    assertEquals(new ContainerState.Exited(3, T0, T0.plusSeconds(5), "", false, false), state(c));
    assertEquals(concat(CLEAN_UP, List.of("sandbox.announce disconnect")), journal);
    assertEquals(List.of("die:3"), drainEvents());
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void anOomKillIsRecordedWithItsEventBeforeDieAndForgottenByTheNextRun() {
    Container c = running("web");
    clock.advance(Duration.ofSeconds(5));

    runtime.oomKill(c.id());

    assertEquals(new ContainerState.Exited(137, T0, T0.plusSeconds(5), "", true, false), state(c));
    assertEquals(List.of("oom", "die:137"), drainEvents());
    lifecycle.start("web");
    assertInstanceOf(ContainerState.Running.class, state(c));
    runtime.exit(c.id(), 0);
    assertEquals(false, assertInstanceOf(ContainerState.Exited.class, state(c)).oomKilled());
  }

  @Test
  void anOomKillOfAnotherProcessIsReportedAtOnceAndKeptThroughPauseAndExit() {
    Container c = running("web");

    runtime.oomKillChild(c.id());

    assertTrue(assertInstanceOf(ContainerState.Running.class, state(c)).oomKilled());
    assertEquals(List.of("oom"), drainEvents());
    runtime.oomKillChild(c.id());
    assertEquals(List.of(), drainEvents(), "one oom event per run");
    lifecycle.pause("web");
    lifecycle.unpause("web");
    assertTrue(assertInstanceOf(ContainerState.Running.class, state(c)).oomKilled());
    drainEvents();
    runtime.exit(c.id(), 0);
    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(0, exited.exitCode());
    assertTrue(exited.oomKilled(), "dockerd keeps OOMKilled through the exit");
    assertEquals(List.of("die:0"), drainEvents());
  }

  @Test
  void onFailureRestartsUntilItsCountIsUsedWithTheBackoffDoubling() {
    Container c = running("web", restart(new RestartPolicy("on-failure", 2)));

    runtime.exit(c.id(), 1);
    assertEquals(new ContainerState.Restarting(1, T0, T0, false), state(c));
    assertEquals(List.of(Duration.ofMillis(100)), restartDelays());
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(c));
    assertEquals(1, record(c).restartCount());

    runtime.exit(c.id(), 1);
    scheduler.runPending();
    assertEquals(2, record(c).restartCount());
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), restartDelays());

    runtime.exit(c.id(), 1);
    assertEquals(1, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode(), "two retries, no third");
    assertTrue(scheduler.pending().isEmpty());
    assertEquals(List.of("die:1", "start", "die:1", "start", "die:1"), drainEvents());
  }

  @Test
  void onFailureLeavesASuccessAlone() {
    Container c = running("web", restart(new RestartPolicy("on-failure", 0)));
    runtime.exit(c.id(), 0);
    assertInstanceOf(ContainerState.Exited.class, state(c));
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void alwaysRestartsASuccessToo() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    runtime.exit(c.id(), 0);
    assertInstanceOf(ContainerState.Restarting.class, state(c));
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(c));
    assertEquals(concat(concat(CLEAN_UP, List.of("sandbox.announce disconnect")), LAUNCH), journal);
  }

  @Test
  void noPolicyRestartsNothing() {
    Container c = running("web", restart(RestartPolicy.NO));
    runtime.exit(c.id(), 1);
    assertEquals(1, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode());
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void unlessStoppedRestartsUntilStoppedAndAStopWhileItWaitsCancelsTheRestart() {
    Container c = running("web", restart(new RestartPolicy("unless-stopped", 0)));
    runtime.exit(c.id(), 2);
    assertInstanceOf(ContainerState.Restarting.class, state(c));

    lifecycle.stop("web", null, null);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(2, exited.exitCode());
    assertTrue(exited.stoppedByUser());
    assertTrue(scheduler.pending().isEmpty(), "the restart was cancelled");
  }

  @Test
  void aStopIsNeverUndoneByThePolicy() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    lifecycle.stop("web", null, null);
    assertTrue(assertInstanceOf(ContainerState.Exited.class, state(c)).stoppedByUser());
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void aStopThatFoundItRunningStopsItForGoodWhenItsExitCameFirstAndWasToBeRestarted() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    repository.afterNextFindByName(() -> runtime.exit(c.id(), 1));

    lifecycle.stop("web", null, null);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(1, exited.exitCode());
    assertTrue(exited.stoppedByUser());
    assertTrue(scheduler.pending().isEmpty(), "the restart the exit scheduled was cancelled");
    assertEquals(List.of("die:1", "stop"), drainEvents());
  }

  @Test
  void aStopThatFoundARestartPendingStopsTheRunThatRestartBegan() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    runtime.exit(c.id(), 1);
    repository.afterNextFindByName(scheduler::runPending);

    lifecycle.stop("web", null, null);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(143, exited.exitCode(), "the restarted run got the stop signal");
    assertTrue(exited.stoppedByUser());
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void aKillOfAContainerWaitingToRestartEndsItsRestartsAsDockerdsDoes() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    runtime.exit(c.id(), 1);
    drainEvents();

    lifecycle.kill("web", null);

    var exited = assertInstanceOf(ContainerState.Exited.class, state(c));
    assertEquals(1, exited.exitCode());
    assertTrue(exited.stoppedByUser());
    assertTrue(scheduler.pending().isEmpty(), "no restart left");
    assertEquals(List.of(), runtime.signals(c.id()), "no process to signal");
  }

  @Test
  void aSignalThatDoesNotStopAContainerWaitingToRestartLeavesItsPolicyAlone() {
    // With a stop signal of its own, others do not stop it (without one, any signal does).
    Container c = put("web", restart(new RestartPolicy("always", 0)), ContainerState.Created.FRESH,
        config("SIGTERM", ""), List.of());
    lifecycle.start("web");
    runtime.exit(c.id(), 1);

    lifecycle.kill("web", "SIGUSR1");

    assertInstanceOf(ContainerState.Restarting.class, state(c));
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(c));
  }

  @Test
  void aKillThatFoundItRunningAfterItsExitSucceedsStopsItAndLeavesNoMarkForALaterRun() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    repository.afterNextFindByName(() -> runtime.exit(c.id(), 1));

    lifecycle.kill("web", null);

    assertTrue(assertInstanceOf(ContainerState.Exited.class, state(c)).stoppedByUser(),
        "as dockerd, whose kill ends the restarts of what it found running");
    assertTrue(scheduler.pending().isEmpty());
    lifecycle.start("web");
    runtime.exit(c.id(), 1);
    assertInstanceOf(ContainerState.Restarting.class, state(c), "the next run's exit is its policy's again");
  }

  @Test
  void aForcedRemoveThatFoundARestartPendingRemovesTheRunThatRestartBegan() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    runtime.exit(c.id(), 1);
    repository.afterNextFindByName(scheduler::runPending);

    lifecycle.remove("web", true, false);

    assertTrue(repository.find(c.id()).isEmpty());
    assertEquals(List.of(Signals.SIGKILL), runtime.signals(c.id()));
  }

  @Test
  void theBackoffDoublesUpToAMinuteAndStartsOverAfterATenSecondRun() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    for (int i = 0; i < 12; i++) {
      runtime.exit(c.id(), 1);
      scheduler.runPending();
    }
    clock.advance(Duration.ofSeconds(10));
    runtime.exit(c.id(), 1);

    var delays = restartDelays().stream().map(Duration::toMillis).toList();
    assertEquals(List.of(100L, 200L, 400L, 800L, 1_600L, 3_200L, 6_400L, 12_800L, 25_600L, 51_200L, 60_000L, 60_000L,
        100L), delays);
  }

  @Test
  void aRestartTheRuntimeRefusesIsTriedAgainByThePolicyAndCounted() {
    Container c = running("web", restart(new RestartPolicy("on-failure", 3)));
    runtime.exit(c.id(), 1);
    runtime.refuseCreate(NOT_FOUND, 127);

    scheduler.runPending();

    var again = assertInstanceOf(ContainerState.Restarting.class, state(c));
    assertEquals(127, again.exitCode());
    assertEquals(1, record(c).restartCount());
    assertEquals(2, restartDelays().size(), "scheduled again");
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(c));
    assertEquals(2, record(c).restartCount());
  }

  @Test
  void anAutoRemoveContainerThatExitsIsRemovedWithItsAnonymousVolumes() {
    Container c = running("once", AUTO_REMOVE);
    journal.clear();
    runtime.exit(c.id(), 0);
    assertTrue(repository.find(c.id()).isEmpty());
    assertTrue(fs.destroyed(c.id()));
    assertEquals(List.of(ANONYMOUS.name()), volumes.removedVolumes());
    assertEquals(List.of("die:0", "destroy"), drainEvents());
    assertEquals(1, journal.stream().filter("runtime.delete"::equals).count(),
        "the exit's clean-up deleted the runtime state; the removal right after it has none to delete");
  }

  // ---- recovery after berthd was down

  @Test
  void recoverRecordsAnOomKillThatHappenedWhileBerthdWasDownOnTheRestartingState() {
    Container c = runningBefore("web", restart(new RestartPolicy("always", 0)));
    runtime.oomKillUnseen(c.id());

    lifecycle.recover();

    assertEquals(new ContainerState.Restarting(137, T0, T0, true), state(c));
    assertEquals(List.of("oom", "die:137"), drainEvents());
  }

  @Test
  void recoverRecordsAnExitThatHappenedWhileBerthdWasDownAndAppliesThePolicy() {
    Container c = runningBefore("web", restart(new RestartPolicy("on-failure", 0)));
    runtime.exitUnseen(c.id(), 3);
    clock.advance(Duration.ofMinutes(1));

    lifecycle.recover();

    assertEquals(new ContainerState.Restarting(3, T0, T0.plusSeconds(60), false), state(c));
    assertEquals(Set.of(c.id()), fs.keptAtLeftovers());
    assertEquals(Set.of(c.id()), sandbox.keptAtLeftovers(), "its namespace is its exit's to tear down");
    assertEquals(List.of("fs.removeLeftovers", "sandbox.removeLeftovers"), journal.subList(0, 2));
    assertEquals(concat(CLEAN_UP, List.of("sandbox.announce disconnect")), journal.subList(2, 8));
    assertEquals("volumes.unmountUnused", journal.getLast());
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(c));
    assertEquals(1, record(c).restartCount());
  }

  @Test
  void recoverRecordsAnExitWithoutAPolicyAsExited() {
    Container c = runningBefore("web", HostConfig.DEFAULT);
    runtime.exitUnseen(c.id(), 0);
    lifecycle.recover();
    assertEquals(0, assertInstanceOf(ContainerState.Exited.class, state(c)).exitCode());
    assertTrue(scheduler.pending().isEmpty());
  }

  @Test
  void recoverMarksAContainerWhoseMonitorVanishedWithoutAnExitCodeDead() {
    Container c = runningBefore("web", restart(new RestartPolicy("always", 0)));
    runtime.loseMonitor(c.id());

    lifecycle.recover();

    var dead = assertInstanceOf(ContainerState.Dead.class, state(c));
    assertEquals("container monitor exited without recording an exit code", dead.error());
    assertFalse(runtime.exists(c.id()), "its runtime state is cleaned up");
    assertTrue(scheduler.pending().isEmpty(), "a dead container is not restarted");
    assertEquals(List.of("die:255"), drainEvents());
  }

  @Test
  void recoverTearsDownAStartThatACrashCutShortBeforeItWasRecorded() {
    Container c = created("web");
    lifecycle.start("web");
    // berthd died after the runtime started it and before the record said so.
    repository.update(c);
    drainEvents();

    lifecycle.recover();

    assertEquals(ContainerState.Created.FRESH, state(c));
    assertFalse(runtime.exists(c.id()), "its monitor and runtime state are gone");
    assertFalse(sandbox.isUp(c.id()), "its network is torn down");
    assertFalse(fs.isMounted(c.id()), "its root filesystem is unmounted");
    assertFalse(volumes.holds(c.id()), "its volumes are released");
    assertEquals(List.of(), drainEvents());
  }

  @Test
  void recoverTearsDownARestartByPolicyThatACrashCutShortBeforeRestartingIt() {
    Container c = put("web", restart(new RestartPolicy("always", 0)), new ContainerState.Restarting(1, T0, T0, false),
        config("", ""), List.of());
    // The restart's create ran; berthd died before the record said Running.
    runtime.adopt(c.id());

    lifecycle.recover();
    scheduler.runPending();

    assertInstanceOf(ContainerState.Running.class, state(c), "the runtime took the new create");
    assertEquals(1, journal.stream().filter(j -> j.equals("runtime.create")).count());
  }

  @Test
  void recoverDeletesWhatTheRuntimeHoldsOfAContainerWithoutARecord() {
    ContainerId ghost = id("ghost");
    runtime.adopt(ghost);

    lifecycle.recover();

    assertFalse(runtime.exists(ghost));
    assertTrue(journal.contains("sandbox.forget"), "its network attachments whose DEL did not finish are undone");
  }

  @Test
  void recoverTakesBackAContainerThatStillRuns() {
    Container c = runningBefore("web", HostConfig.DEFAULT);
    var before = state(c);

    lifecycle.recover();

    assertEquals(before, state(c));
    assertTrue(volumes.holds(c.id()), "its volumes are in use again");
    assertTrue(sandbox.recovered(c.id()), "its ports and names are served again");
    assertEquals(List.of("fs.removeLeftovers", "sandbox.removeLeftovers", "volumes.acquire", "sandbox.recover",
        "volumes.unmountUnused"), journal);
    assertEquals(List.of(), drainEvents());
  }

  @Test
  void recoverStartsAlwaysContainersAgainButNotOnesAUserStoppedUnlessAlways() {
    var exited = new ContainerState.Exited(0, T0, T0, "", false, true);
    Container always = put("always", restart(new RestartPolicy("always", 0)), exited, config("", ""), List.of());
    Container unless = put("unless", restart(new RestartPolicy("unless-stopped", 0)), exited, config("", ""),
        List.of());
    Container crashed = put("crashed", restart(new RestartPolicy("unless-stopped", 0)),
        new ContainerState.Exited(1, T0, T0, "", false, false), config("", ""), List.of());
    Container none = put("none", HostConfig.DEFAULT, new ContainerState.Exited(1, T0, T0, "", false, false),
        config("", ""), List.of());

    lifecycle.recover();

    assertInstanceOf(ContainerState.Running.class, state(always), "always starts with the daemon");
    assertInstanceOf(ContainerState.Exited.class, state(unless), "a user stopped it");
    assertInstanceOf(ContainerState.Running.class, state(crashed), "nobody stopped it");
    assertInstanceOf(ContainerState.Exited.class, state(none));
    assertEquals(Set.of(), sandbox.keptAtLeftovers(), "no container was recorded running");
  }

  @Test
  void recoverRemovesAutoRemoveContainersThatEndedAndReschedulesPendingRestarts() {
    Container once = put("once", AUTO_REMOVE, new ContainerState.Exited(0, T0, T0, "", false, false), config("", ""),
        List.of(ANONYMOUS));
    Container waiting = put("waiting", restart(new RestartPolicy("always", 0)),
        new ContainerState.Restarting(1, T0, T0, false), config("", ""), List.of());

    lifecycle.recover();

    assertTrue(repository.find(once.id()).isEmpty());
    assertEquals(List.of(ANONYMOUS.name()), volumes.removedVolumes());
    assertEquals(List.of(Duration.ofMillis(100)), restartDelays());
    scheduler.runPending();
    assertInstanceOf(ContainerState.Running.class, state(waiting));
  }

  // ---- remove

  @Test
  void removeOfARunningContainerWithoutForceIsAConflict() {
    Container c = running("web");
    var e = assertThrows(ConflictException.class, () -> lifecycle.remove("web", false, true));
    assertEquals("cannot remove container \"/web\": container is running: stop the container before removing or "
        + "force remove", e.getMessage());
    assertInstanceOf(ContainerState.Running.class, state(c));
    assertEquals(List.of(), journal);
  }

  @Test
  void forcedRemoveKillsAndRemovesAndKeepsVolumesWithoutV() {
    Container c = running("web");

    lifecycle.remove("web", true, false);

    assertTrue(repository.find(c.id()).isEmpty());
    assertEquals(List.of(Signals.SIGKILL), runtime.signals(c.id()));
    assertFalse(runtime.exists(c.id()));
    assertTrue(fs.destroyed(c.id()));
    assertEquals(List.of(), volumes.removedVolumes());
    assertFalse(journal.contains("volumes.removeAnonymous"));
    assertEquals(List.of("die:137", "destroy"), drainEvents());
    assertThrows(NotFoundException.class, () -> lifecycle.waitFor("web", WaitCondition.NOT_RUNNING));
  }

  @Test
  void forcedRemoveWithVTakesTheAnonymousVolumesOnly() {
    running("web");
    lifecycle.remove("web", true, true);
    assertEquals(List.of(ANONYMOUS.name()), volumes.removedVolumes(), "the named volume stays");
  }

  @Test
  void forcedRemoveAnswersOnlyAfterTheLogFollowsHaveEnded11() throws Exception {
    Container c = running("web");
    LogService.Follow follow = logs.follow(c);
    var removed = CompletableFuture.runAsync(() -> lifecycle.remove("web", true, false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (repository.find(c.id()).isPresent() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(repository.find(c.id()).isEmpty());
    assertThrows(java.util.concurrent.TimeoutException.class, () -> removed.get(200, TimeUnit.MILLISECONDS),
        "DELETE waits for the follow, which drains the log once the record is gone");
    follow.close();
    removed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void removeOfAStoppedContainerDeletesTheRecordBeforeItsFiles() {
    Container c = running("web");
    runtime.exit(c.id(), 0);
    journal.clear();

    lifecycle.remove("web", false, true);

    assertEquals(List.of("runtime.delete", "volumes.release", "fs.destroy", "volumes.removeAnonymous"), journal);
    assertTrue(repository.find(c.id()).isEmpty());
  }

  // ---- wait

  @Test
  void notRunningAnswersAtOnceForAStoppedContainerAndAtTheExitForARunningOne() {
    Container c = created("web");
    assertEquals(new ExitStatus(0, ""), lifecycle.waitFor("web", WaitCondition.NOT_RUNNING).getNow(null));

    lifecycle.start("web");
    var wait = lifecycle.waitFor("web", WaitCondition.NOT_RUNNING);
    assertFalse(wait.isDone());
    runtime.exit(c.id(), 5);
    assertEquals(new ExitStatus(5, ""), wait.getNow(null));
  }

  @Test
  void nextExitWaitsForTheNextRunsExitEvenWhenStopped() {
    Container c = put("web", HostConfig.DEFAULT, new ContainerState.Exited(3, T0, T0, "", false, false),
        config("", ""), List.of());
    var wait = lifecycle.waitFor("web", WaitCondition.NEXT_EXIT);
    assertFalse(wait.isDone());

    lifecycle.start("web");
    assertFalse(wait.isDone());
    runtime.exit(c.id(), 7);
    assertEquals(new ExitStatus(7, ""), wait.getNow(null));
  }

  @Test
  void removedWaitsPastTheExitUntilTheContainerIsGone() {
    Container c = running("web");
    var wait = lifecycle.waitFor("web", WaitCondition.REMOVED);
    runtime.exit(c.id(), 4);
    assertFalse(wait.isDone(), "an exit is not a removal");
    lifecycle.remove("web", false, false);
    assertEquals(new ExitStatus(4, ""), wait.getNow(null));
  }

  @Test
  void notRunningWaitsThroughAPendingRestart() {
    Container c = running("web", restart(new RestartPolicy("always", 0)));
    runtime.exit(c.id(), 1);
    var wait = lifecycle.waitFor("web", WaitCondition.NOT_RUNNING);
    assertFalse(wait.isDone(), "restarting is not stopped");
    lifecycle.stop("web", null, null);
    assertEquals(new ExitStatus(1, ""), wait.getNow(null));
  }

  // ---- issue 11: shared namespaces

  private static HostConfig sharing(String pidMode, String ipcMode) {
    return HostConfig.DEFAULT.withNamespaces(new NamespaceModes(pidMode, ipcMode, null, null, null, null, null));
  }

  @Test
  void aContainerJoinsTheNamespacesAndShmOfARunningOne() throws java.io.IOException {
    Container donor = running("donor", sharing(null, "shareable"));
    // What ContainerRootfs mounts for a shareable container; the fake filesystem mounts nothing.
    Path shm = java.nio.file.Files.createDirectories(fs.dir(donor.id()).resolve("shm"));
    String mode = "container:" + donor.id().hex();
    Container c = created("joiner", sharing(mode, mode));
    lifecycle.start("joiner");

    int pid = ((ContainerState.Running) state(donor)).pid();
    RunNamespaces n = runtime.spec(c.id()).orElseThrow().namespaces();
    assertEquals(SharedNamespace.join(Path.of("/proc/" + pid + "/ns/pid")), n.pid());
    assertEquals(SharedNamespace.join(Path.of("/proc/" + pid + "/ns/ipc")), n.ipc());
    assertEquals(new RunNamespaces.Shm.Bind(shm), n.shm());
    assertEquals(new RunNamespaces.Shm.Bind(shm), runtime.spec(donor.id()).orElseThrow().namespaces().shm(),
        "the donor binds the same tmpfs");
  }

  @Test
  void joiningAContainerThatIsNotRunningOrSharesNothingIsRefusedBeforeAnythingIsSetUp() {
    Container stopped = created("stopped");
    String hex = stopped.id().hex();
    created("pidjoiner", sharing("container:" + hex, null));
    var pid = assertThrows(InternalException.class, () -> lifecycle.start("pidjoiner"));
    assertEquals("failed to join PID namespace: container " + hex + " is not running", pid.getMessage());
    created("ipcjoiner", sharing(null, "container:" + hex));
    var ipc = assertThrows(ConflictException.class, () -> lifecycle.start("ipcjoiner"));
    assertEquals("failed to join IPC namespace: container " + hex + " is not running", ipc.getMessage());
    assertEquals(List.of(), journal, "nothing was set up");

    Container priv = running("private");
    created("privjoiner", sharing(null, "container:" + priv.id().hex()));
    var shm = assertThrows(InvalidArgumentException.class, () -> lifecycle.start("privjoiner"));
    assertEquals("failed to join IPC namespace: container " + priv.id().hex()
        + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)", shm.getMessage());
  }

  @Test
  void anAutoRemoveContainerThatCannotJoinIsRemoved() {
    Container stopped = created("stopped");
    HostConfig hc = AUTO_REMOVE.withNamespaces(
        new NamespaceModes("container:" + stopped.id().hex(), null, null, null, null, null, null));
    Container c = created("rm", hc);
    assertThrows(InternalException.class, () -> lifecycle.start("rm"));
    assertTrue(repository.find(c.id()).isEmpty(), "removed, as dockerd removes a --rm container whose start failed");
  }

  @Test
  void theHostsNamespacesAndNoInitInThem() {
    HostConfig hc = HostConfig.DEFAULT.withNamespaces(new NamespaceModes("host", "host", "host", null, null, null,
        Map.of("k", "v")));
    Container c = created("hosty", new HostConfig(false, "default", RestartPolicy.NO, 0, 0, false, false, null, null,
        null, null, null, null, true, null).withNamespaces(hc.namespaces()));
    lifecycle.start("hosty");
    RunSpec spec = runtime.spec(c.id()).orElseThrow();
    assertEquals(new RunNamespaces(SharedNamespace.HOST, SharedNamespace.HOST, true,
        new RunNamespaces.Shm.Bind(Path.of("/dev/shm"))), spec.namespaces());
    assertFalse(spec.init(), "dockerd adds no init outside a PID namespace of its own");
    assertEquals(Map.of("k", "v"), spec.annotations());
  }
}
