package dev.berth.core.container.lifecycle;

import dev.berth.core.container.attach.AttachService;
import dev.berth.core.logs.LogDriver;
import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.ExitStatus;
import dev.berth.core.container.model.Health;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.ProcessTable;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.Signals;
import dev.berth.core.container.model.WaitCondition;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.EngineException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotModifiedException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.network.Networking;
import dev.berth.core.prune.PruneFilter;
import dev.berth.core.prune.PruneReport;
import dev.berth.core.runtime.ContainerRuntime;
import dev.berth.core.runtime.MonitorProcess;
import dev.berth.core.runtime.RunNamespaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Every change of a container's state: start, stop, kill, restart, exit, restart by policy,
 * removal. The runtime's exit records are the truth about processes; this class records what they
 * say. Each transition holds the container's lock, so an exit is never lost between a check and a
 * wait.
 *
 * <p>What it needs of the host comes through ports: the runtime ({@link ContainerRuntime}), the
 * network sandbox ({@link Sandbox}), the container's files ({@link ContainerFilesystem}) and
 * mounts ({@link Volumes}), and time ({@link Clock}, {@link Scheduler}).
 */
public final class ContainerLifecycle implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ContainerLifecycle.class.getName());
  private static final int DEFAULT_STOP_TIMEOUT = 10;
  private static final Duration KILL_GRACE = Duration.ofSeconds(30);

  private final ContainerLookup containers;
  private final ContainerRepository repository;
  private final ContainerRuntime runtime;
  private final ContainerFilesystem rootfs;
  private final Volumes volumes;
  private final Sandbox sandbox;
  private final RunSpecFactory specs;
  private final AttachService attach;
  private final ExecService execs;
  private final HealthMonitor health;
  private final ContainerLocks locks;
  private final ContainerEvents events;
  private final ContainerWaiters waiters = new ContainerWaiters();
  private final Scheduler scheduler;
  private final RestartScheduler restarts;
  private final SharedNamespaces namespaces;
  /** Containers a client is stopping or killing: their exit is not their restart policy's business. */
  private final Set<ContainerId> stopping = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private final ContainerPlatform platform;

  /** @param scheduler runs restarts and times stops; closed with this */
  ContainerLifecycle(ContainerLookup containers, ContainerRepository repository, ContainerRuntime runtime,
      ContainerFilesystem rootfs, Volumes volumes, Sandbox sandbox, RunSpecFactory specs,
      AttachService attach, ExecService execs, HealthMonitor health, ContainerLocks locks, ContainerEvents events,
      Scheduler scheduler, Clock clock) {
    this(containers, repository, runtime, rootfs, volumes, sandbox, specs, attach, execs, health, locks, events,
        scheduler, clock, ContainerPlatform.permissive(runtime.name()));
  }

  ContainerLifecycle(ContainerLookup containers, ContainerRepository repository, ContainerRuntime runtime,
      ContainerFilesystem rootfs, Volumes volumes, Sandbox sandbox, RunSpecFactory specs,
      AttachService attach, ExecService execs, HealthMonitor health, ContainerLocks locks, ContainerEvents events,
      Scheduler scheduler, Clock clock, ContainerPlatform platform) {
    this.platform = platform;
    this.containers = containers;
    this.repository = repository;
    this.runtime = runtime;
    this.rootfs = rootfs;
    this.volumes = volumes;
    this.sandbox = sandbox;
    this.specs = specs;
    this.attach = attach;
    this.execs = execs;
    this.health = health;
    this.locks = locks;
    this.events = events;
    this.scheduler = scheduler;
    this.restarts = new RestartScheduler(scheduler);
    this.clock = clock;
    this.namespaces = new SharedNamespaces(containers, rootfs::dir);
  }

  /**
   * Has the runtime make now what a default container's first run would make itself (its seccomp
   * filter, as {@link RunSpecFactory} derives it for the daemon's defaults): for a warm-up once the
   * engine serves.
   */
  public void warmUp() {
    runtime.warmUp(specs.runSecurity(HostConfig.DEFAULT).seccomp(), specs.capabilities(HostConfig.DEFAULT));
  }

  /**
   * Starts a container. Attach sessions waiting for it are connected before its process runs.
   *
   * @throws NotModifiedException if it is running
   * @throws ConflictException if it is paused
   * @throws InvalidArgumentException if the runtime refuses to run it (its message says why)
   */
  public void start(String ref) {
    ContainerId id = containers.find(ref).id();
    locks.run(id, () -> {
      Container c = current(id);
      switch (c.state()) {
        case ContainerState.Paused p -> throw new ConflictException("cannot start a paused container, try unpause instead");
        case ContainerState.Running r -> throw new NotModifiedException("container already started");
        case ContainerState.Restarting r -> restarts.cancel(id);
        default -> { }
      }
      launch(c, c.restartCount());
    });
  }

  /**
   * Stops a container: its stop signal, then SIGKILL after the timeout. A container waiting to be
   * restarted by its policy is stopped for good.
   *
   * @param timeoutSeconds null for the container's StopTimeout (10 s by default); negative waits forever
   * @param signal null for the container's StopSignal (SIGTERM by default)
   * @throws NotModifiedException if it is not running
   */
  public void stop(String ref, Integer timeoutSeconds, String signal) {
    Container found = containers.find(ref);
    // Marked before the state is read again: an exit handled from here on is this stop's, never
    // its restart policy's, and one handled before (a restart pending) is found in the state.
    stopping.add(found.id());
    CompletableFuture<ExitStatus> exit = waiters.add(found.id(), WaitCondition.NEXT_EXIT);
    Container c = withoutPendingRestart(found.id());
    if (c == null || !c.state().isRunning()) {
      stopping.remove(found.id());
      waiters.cancel(found.id(), exit);
      if (found.state().isRunning()) {
        // It exited meanwhile (or its pending restart was cancelled): stopped all the same.
        events.emit(found, "stop");
        return;
      }
      if (found.state() instanceof ContainerState.Restarting) {
        return;
      }
      throw new NotModifiedException("container already stopped");
    }
    int sig = signal != null && !signal.isEmpty() ? Signals.parse(signal) : stopSignal(c);
    int timeout = timeoutSeconds != null ? timeoutSeconds
        : c.config().stopTimeout() != null ? c.config().stopTimeout() : DEFAULT_STOP_TIMEOUT;
    events.emit(c, "kill", java.util.Map.of("signal", Integer.toString(sig)));
    signalOrReap(c.id(), sig);
    if (c.state() instanceof ContainerState.Paused) {
      // A frozen process cannot act on its stop signal; dockerd thaws it after sending.
      resumeQuietly(c.id());
    }
    if (timeout < 0) {
      await(exit, null);
      events.emit(c, "stop");
      return;
    }
    if (!await(exit, Duration.ofSeconds(timeout))) {
      LOG.log(System.Logger.Level.INFO, "container " + c.id().shortId() + " did not stop in " + timeout
          + "s; killing it");
      signalOrReap(c.id(), Signals.SIGKILL);
      if (!await(exit, KILL_GRACE)) {
        throw new InternalException("container " + c.id().shortId() + " did not exit after SIGKILL");
      }
    }
    events.emit(c, "stop");
  }

  /**
   * Sends a signal; SIGKILL also waits for the exit. As dockerd 28 (daemon/kill.go), a paused
   * container is signalled too, and a signal that stops the container (SIGKILL, its StopSignal, or
   * any signal when it has none) takes its next exit from its restart policy and thaws it if
   * paused, so that it acts on the signal; any other signal waits in the frozen process. A
   * container waiting to be restarted is not signalled; a signal that stops it ends its restarts.
   * A process that died just before the signal is no failure, as with dockerd.
   *
   * @throws ConflictException if it is not running, with dockerd's wording
   */
  public void kill(String ref, String signal) {
    Container found = containers.find(ref);
    int sig = signal == null || signal.isEmpty() ? Signals.SIGKILL : Signals.parse(signal);
    String own = found.config().stopSignal();
    boolean stops = sig == Signals.SIGKILL || own.isEmpty() || Signals.parse(own) == sig;
    if (found.state() instanceof ContainerState.Restarting) {
      // As dockerd (a restarting container counts as running there): no process to signal while
      // it waits, and a signal that stops it ends the restarts, as a stop does.
      if (!stops || cancelRestart(found.id())) {
        return;
      }
    }
    // A restart that already began: that run is the one signalled.
    Container c = found.state() instanceof ContainerState.Restarting ? current(found.id()) : found;
    if (!c.state().isRunning()) {
      throw notRunning(ref, c);
    }
    CompletableFuture<ExitStatus> exit = null;
    if (stops) {
      stopping.add(c.id());
    }
    if (sig == Signals.SIGKILL) {
      exit = waiters.add(c.id(), WaitCondition.NEXT_EXIT);
    }
    if (!runtime.signal(c.id(), sig)) {
      // It died just before the signal. dockerd's kill succeeds then (no such process is no
      // error): the exit is recorded now, and is this kill's stop if the signal stops it.
      handleExit(c.id());
      // An exit handled before the mark left it there for the next run's, and a restart pending.
      stopping.remove(c.id());
      if (exit != null) {
        waiters.cancel(c.id(), exit);
      }
      if (stops) {
        cancelRestart(c.id());
      }
      return;
    }
    events.emit(c, "kill", java.util.Map.of("signal", Integer.toString(sig)));
    if (stops && sig != Signals.SIGKILL && c.state() instanceof ContainerState.Paused) {
      // The runtime thaws after SIGKILL itself; after another stop signal the thawed process runs on
      // until it acts on the signal, so it is recorded running (dockerd's unpause event).
      try {
        locks.run(c.id(), () -> {
          Container now = current(c.id());
          if (now.state() instanceof ContainerState.Paused p) {
            thaw(now, p);
          }
        });
      } catch (RuntimeException e) {
        // As dockerd: the signal went out, so the kill succeeded; the thaw failing is only logged.
        LOG.log(System.Logger.Level.WARNING, "cannot unpause container " + c.id().shortId() + ": " + e.getMessage());
      }
    }
    // dockerd returns from a SIGKILL only once the container is dead, so `kill; inspect` agrees.
    if (exit != null) {
      await(exit, KILL_GRACE);
    }
  }

  public void restart(String ref, Integer timeoutSeconds, String signal) {
    try {
      stop(ref, timeoutSeconds, signal);
    } catch (NotModifiedException e) {
      // restarting a stopped container just starts it
    }
    start(ref);
    events.emit(containers.find(ref), "restart");
  }

  /** Freezes a running container's processes. */
  public void pause(String ref) {
    ContainerId id = containers.find(ref).id();
    locks.run(id, () -> {
      Container c = current(id);
      switch (c.state()) {
        case ContainerState.Running r -> {
          runtime.pause(id);
          repository.update(c.withState(new ContainerState.Paused(r.pid(), r.monitorPid(), r.monitorStartTime(),
              r.startedAt(), r.oomKilled())));
          events.emit(c, "pause");
        }
        // dockerd's errNotPaused, despite its name.
        case ContainerState.Paused p -> throw new ConflictException("Container " + id.hex() + " is already paused");
        default -> throw new ConflictException("container " + id.hex() + " is not running");
      }
    });
  }

  /** Thaws a paused container. */
  public void unpause(String ref) {
    ContainerId id = containers.find(ref).id();
    locks.run(id, () -> {
      Container c = current(id);
      if (!(c.state() instanceof ContainerState.Paused p)) {
        // dockerd 28 (daemon/unpause.go) returns an untyped error here: a 500, whatever the state.
        throw new InternalException("Container " + id.hex() + " is not paused");
      }
      thaw(c, p);
    });
  }

  /** Resumes a paused container under its lock; one that dies of a waiting signal as it thaws is left exited. */
  private void thaw(Container c, ContainerState.Paused p) {
    runtime.resume(c.id());
    if (current(c.id()).state() instanceof ContainerState.Paused) {
      repository.update(c.withState(new ContainerState.Running(p.pid(), p.monitorPid(), p.monitorStartTime(),
          p.startedAt(), p.oomKilled())));
      events.emit(c, "unpause");
    }
  }

  /**
   * Changes a container's limits (live, if it runs) and restart policy. Null fields of {@code
   * change} keep their values.
   *
   * @return dockerd's warnings for limits this host cannot apply, which were discarded
   */
  public List<String> update(String ref, Resources requested, RestartPolicy policy) {
    ContainerId id = containers.find(ref).id();
    Resources.Adapted adapted = platform.forUpdate(requested);
    Resources change = adapted.resources();
    locks.run(id, () -> {
      Container c = current(id);
      HostConfig hc = c.hostConfig();
      if (policy != null && hc.autoRemove() && !policy.name().equals("no")) {
        throw new InvalidArgumentException(
            "Restart policy cannot be updated because AutoRemove is enabled for the container");
      }
      Resources merged = hc.resources().with(change);
      Long swap = hc.resources().memorySwap();
      if (change.memory() != null && change.memorySwap() == null && swap != null && swap > 0
          && change.memory() > swap) {
        throw new InvalidArgumentException("Memory limit should be smaller than already set memoryswap limit, "
            + "update the memoryswap at the same time");
      }
      if (c.state().isRunning()) {
        runtime.update(id, change);
      }
      HostConfig next = hc.withResources(merged);
      repository.update(c.withHostConfig(policy == null ? next : next.withRestartPolicy(policy)));
      events.emit(c, "update");
    });
    return adapted.warnings();
  }

  /** {@code docker top}: the host's ps over the container's processes. */
  public ProcessTable top(String ref, String psArgs) {
    Container c = containers.find(ref);
    if (!c.state().isRunning()) {
      throw new ConflictException("container " + c.id().hex() + " is not running");
    }
    return ProcessTable.of(runtime.pids(c.id()), psArgs);
  }

  /**
   * Whether a container read as running has had its exit recorded since: its exit then came
   * before the waiter for the next one was added, which would otherwise wait for an exit that
   * never comes (a container that ends by itself just as it is stopped or removed).
   */
  private boolean exitedMeanwhile(ContainerId id) {
    boolean exited = repository.find(id).map(now -> !now.state().isRunning()).orElse(true);
    if (exited) {
      stopping.remove(id);
    }
    return exited;
  }

  /**
   * Removes a container and everything it had on disk.
   *
   * @param removeVolumes also remove its anonymous volumes no other container uses ({@code rm -v})
   * @throws ConflictException if it runs and {@code force} is false
   */
  public void remove(String ref, boolean force, boolean removeVolumes) {
    Container c = containers.find(ref);
    if (c.state() instanceof ContainerState.Restarting) {
      Container now = withoutPendingRestart(c.id());
      c = now != null ? now : c;
    }
    if (c.state().isRunning()) {
      if (!force) {
        throw new ConflictException("cannot remove container \"" + c.name().slashed()
            + "\": container is running: stop the container before removing or force remove");
      }
      stopping.add(c.id());
      CompletableFuture<ExitStatus> exit = waiters.add(c.id(), WaitCondition.NEXT_EXIT);
      if (!exitedMeanwhile(c.id())) {
        signalOrReap(c.id(), Signals.SIGKILL);
        if (!await(exit, KILL_GRACE)) {
          throw new InternalException("container " + c.id().shortId() + " did not exit after SIGKILL");
        }
      }
    }
    removeStopped(c.id(), removeVolumes);
  }

  /**
   * {@code docker container prune}: removes every container that is not running, paused or
   * restarting and matches the filter (moby ContainersPrune); volumes stay.
   */
  public PruneReport prune(PruneFilter filter) {
    var deleted = new java.util.ArrayList<String>();
    long reclaimed = 0;
    for (Container c : repository.list()) {
      if (c.state().isRunning() || c.state() instanceof ContainerState.Restarting
          || !filter.matches(c.config().labels(), c.created())) {
        continue;
      }
      long size = rootfs.upperSize(c.id());
      try {
        removeStopped(c.id(), false);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "failed to prune container " + c.id().shortId() + ": " + e.getMessage());
        continue;
      }
      reclaimed += size;
      deleted.add(c.id().hex());
    }
    return new PruneReport(deleted, reclaimed);
  }

  /**
   * Registers a wait. The future completes with the exit status when the condition holds.
   *
   * @throws dev.berth.core.error.NotFoundException before anything is registered
   */
  public CompletableFuture<ExitStatus> waitFor(String ref, WaitCondition condition) {
    ContainerId id = containers.find(ref).id();
    return locks.with(id, () -> {
      Container c = current(id);
      if (condition == WaitCondition.NOT_RUNNING && !c.state().isRunning()
          && !(c.state() instanceof ContainerState.Restarting)) {
        return CompletableFuture.completedFuture(exitStatus(c.state()));
      }
      return waiters.add(id, condition);
    });
  }

  /**
   * Records that a container's process ended, as its monitor says; then applies its restart
   * policy, or removes it if it was created with AutoRemove. Safe to call more than once and for
   * containers that still run.
   */
  public void handleExit(ContainerId id) {
    Container exited = locks.with(id, () -> {
      Container c = repository.find(id).orElse(null);
      if (c == null || !(c.state() instanceof ContainerState.Live live)) {
        return null;
      }
      OptionalInt code = runtime.exitCode(id);
      ContainerState next;
      Instant now = clock.instant();
      boolean byUser = stopping.remove(id);
      // Read before cleanUpRun removes the cgroup that counts the kills.
      boolean oomKilled = live.oomKilled() || code.isPresent() && runtime.oomKilled(id);
      if (code.isPresent()) {
        boolean restart = RestartScheduler.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount(),
            code.getAsInt(), byUser);
        next = restart ? new ContainerState.Restarting(code.getAsInt(), live.startedAt(), now, oomKilled)
            : new ContainerState.Exited(code.getAsInt(), live.startedAt(), now, "", oomKilled, byUser);
      } else if (runtime.monitorAlive(new MonitorProcess(live.pid(), live.monitorPid(), live.monitorStartTime()))) {
        return null;
      } else {
        next = new ContainerState.Dead(live.startedAt(), now, "container monitor exited without recording an exit code");
      }
      if (oomKilled && !live.oomKilled()) {
        // Not reported while it ran (the kill came with the exit, or berthd was down): dockerd's oom
        // event still comes before the exit's clean-up and die.
        events.emit(c, "oom");
      }
      cleanUpRun(c);
      execs.containerStopped(id);
      health.stop(id);
      Container after = c.withState(next).withNetworking(c.networking().stopped());
      repository.update(after);
      attach.outputEnded(after);
      sandbox.announce(c, "disconnect");
      // die goes out before waiters wake, so a stop or kill that waited reports after it, as dockerd's do.
      events.emit(after, "die", java.util.Map.of("exitCode", Integer.toString(exitStatus(next).code())));
      waiters.exited(id, exitStatus(next));
      LOG.log(System.Logger.Level.INFO, "container " + id.shortId() + " exited: " + exitStatus(next).code());
      if (next instanceof ContainerState.Restarting) {
        scheduleRestart(id, Duration.between(live.startedAt(), now));
      }
      return after;
    });
    if (exited != null && exited.hostConfig().autoRemove()) {
      // `run --rm` also removes the container's anonymous volumes, as dockerd does.
      removeStopped(id, true, exited);
    }
  }

  /**
   * Records that the OOM killer killed a process of a running container, as dockerd does on
   * containerd's OOM event: OOMKilled, and the {@code oom} event once per run. Safe to call more
   * than once and for containers that do not run.
   */
  public void handleOom(ContainerId id) {
    locks.run(id, () -> {
      Container c = repository.find(id).orElse(null);
      if (c == null || !(c.state() instanceof ContainerState.Live live) || live.oomKilled()) {
        return;
      }
      repository.update(c.withState(switch (live) {
        case ContainerState.Running r -> new ContainerState.Running(r.pid(), r.monitorPid(), r.monitorStartTime(),
            r.startedAt(), true);
        case ContainerState.Paused p -> new ContainerState.Paused(p.pid(), p.monitorPid(), p.monitorStartTime(),
            p.startedAt(), true);
      }));
      events.emit(c, "oom");
    });
  }

  /**
   * Reconciles records with the runtime after berthd starts: what starts cut short by a crash
   * left on the host is torn down, containers that exited while it was down are recorded (and
   * their policies applied), ones whose monitor vanished are marked dead, auto-remove ones go, and
   * restart policies bring back what dockerd would bring back.
   */
  public void recover() {
    List<Container> recorded = repository.list();
    rootfs.removeLeftovers(recorded.stream().map(Container::id).collect(java.util.stream.Collectors.toSet()));
    Set<ContainerId> running = recorded.stream().filter(c -> c.state() instanceof ContainerState.Live)
        .map(Container::id).collect(java.util.stream.Collectors.toSet());
    tearDownUnrecordedRuns(running);
    // Before any restart below makes a namespace: those of recorded-running containers are torn
    // down by their exit handling, any other is a crash's leftover.
    sandbox.removeLeftovers(running);
    // One read of the mount table instead of two unmount calls per stopped container (with 2000
    // containers, 130 ms of a start).
    Set<ContainerId> mounted = rootfs.mounted();
    // The records as read above: tearing down unrecorded runs changes no record, and each case
    // below that acts on a container reads it again by id.
    for (Container c : recorded) {
      try {
        switch (c.state()) {
          case ContainerState.Live live -> {
            handleExit(c.id());
            repository.find(c.id()).filter(x -> x.state() instanceof ContainerState.Live).ifPresent(x -> {
              // Still running: its volumes are in use (mounted, for volumes with options).
              volumes.acquire(x);
              sandbox.recover(x);
              health.watch(x, live.startedAt());
            });
          }
          case ContainerState.Restarting r -> scheduleRestart(c.id(), Duration.ZERO);
          case ContainerState.Created x -> removeIfAuto(c, mounted);
          case ContainerState.Exited x -> {
            removeIfAuto(c, mounted);
            if (startsWithDaemon(c.hostConfig().restartPolicy(), x)) {
              start(c.id().hex());
            }
          }
          case ContainerState.Dead x -> removeIfAuto(c, mounted);
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "recovering container " + c.id().shortId() + ": " + e.getMessage(), e);
      }
    }
    volumes.unmountUnused();
    // Output written while berthd was down goes to the drivers' files now.
    repository.list().forEach(attach::recoverOutput);
  }

  /**
   * A run is recorded ({@code Running}) only once the runtime has started it, so a crash during a
   * start leaves a monitor, runtime state, cgroups, mounts and a network on the host for a
   * container recorded created or exited. At engine start, before anything is started again,
   * whatever the runtime or the sandbox holds for a container not recorded running is torn down as
   * a failed start is; for one with no record at all, what the runtime holds goes.
   */
  private void tearDownUnrecordedRuns(Set<ContainerId> live) {
    var held = new java.util.HashSet<>(runtime.present());
    held.addAll(sandbox.present());
    held.removeAll(live);
    for (ContainerId id : held) {
      try {
        locks.run(id, () -> {
          Container c = repository.find(id).orElse(null);
          if (c == null) {
            runtime.delete(id);
            sandbox.forget(id);
          } else if (!(c.state() instanceof ContainerState.Live)) {
            LOG.log(System.Logger.Level.INFO, "tearing down the unfinished start of " + id.shortId());
            cleanUpRun(c);
          }
        });
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "tearing down what a crash left of " + id.shortId() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** The container's health, when it has a healthcheck and has run since berthd started. */
  public java.util.Optional<Health> health(ContainerId id) {
    return health.health(id);
  }

  @Override
  public void close() {
    restarts.close();
    scheduler.close();
    health.close();
  }

  /** dockerd starts "always" containers with itself, and "unless-stopped" ones nobody stopped. */
  private static boolean startsWithDaemon(RestartPolicy policy, ContainerState.Exited x) {
    return policy.name().equals("always") || policy.name().equals("unless-stopped") && !x.stoppedByUser();
  }

  private void launch(Container c, int restartCount) {
    ContainerId id = c.id();
    runtime.startBegins();
    // The containers whose namespaces it joins are checked before anything is set up; the
    // refusal keeps dockerd's status and words, not an OCI runtime's.
    RunNamespaces shared;
    try {
      shared = namespaces.of(c);
    } catch (EngineException e) {
      if (c.hostConfig().autoRemove()) {
        removeStopped(id, true);
      }
      throw e;
    }
    Container networked = c;
    try {
      var dir = rootfs.dir(id);
      var root = rootfs.mount(c);
      var namespace = sandbox.namespace(c);
      // The runtime creates the container while its networks are joined (the CNI plugins, ~10 ms);
      // its process starts only once they are, and its /etc/hosts has their addresses.
      CompletableFuture<Networking> joining = sandbox.beginSetUp(c);
      RunSpecFactory.Built built = null;
      MonitorProcess process = null;
      RuntimeException failed = null;
      try {
        // --log-driver none: conmon keeps no log at all (dockerd's none driver drops the output).
        var spool = c.hostConfig().logConfig().settings().driver() == LogDriver.NONE ? null : rootfs.logPath(id);
        built = specs.build(c, dir, root, spool, volumes.acquire(c), namespace, sandbox.servesNames(c))
            .withNamespaces(shared);
        volumes.announce(c, true);
        process = runtime.create(built.spec());
      } catch (RuntimeException e) {
        failed = e;
      }
      try {
        networked = c.withNetworking(joining.join());
      } catch (CompletionException e) {
        // It undid itself, namespace and all: a create that failed meanwhile failed of that.
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (failed != null) {
          cause.addSuppressed(failed);
        }
        failed = cause;
      }
      if (failed != null) {
        throw failed;
      }
      specs.networksJoined(networked, dir, built);
      sandbox.ready(id);
      attach.connectPending(id);
      runtime.start(id);
      Instant startedAt = clock.instant();
      Container running = networked.withState(
          new ContainerState.Running(process.pid(), process.monitorPid(), process.monitorStartTime(), startedAt))
          .withRestartCount(restartCount);
      repository.update(running);
      attach.outputStarted(running);
      health.watch(running, startedAt);
      sandbox.announce(running, "connect");
      events.emit(running, "start");
      LOG.log(System.Logger.Level.INFO, "started " + id.shortId() + " (" + c.name() + ")");
    } catch (RuntimeException e) {
      cleanUpRun(networked);
      EngineException failure = startFailed(c, e);
      // dockerd removes an auto-remove container whose start failed; `run --rm` waits for that.
      if (c.hostConfig().autoRemove()) {
        removeStopped(id, true);
      }
      throw failure;
    }
  }

  private void scheduleRestart(ContainerId id, Duration ranFor) {
    restarts.schedule(id, restarts.nextDelay(id, ranFor), () -> restartByPolicy(id));
  }

  private void restartByPolicy(ContainerId id) {
    try {
      locks.run(id, () -> {
        Container c = repository.find(id).orElse(null);
        if (c == null || !(c.state() instanceof ContainerState.Restarting)) {
          return;
        }
        launch(c, c.restartCount() + 1);
      });
    } catch (RuntimeException e) {
      // The start failure is recorded on the container; its policy decides whether to try again.
      LOG.log(System.Logger.Level.WARNING, "restarting " + id.shortId() + " failed: " + e.getMessage());
      locks.run(id, () -> repository.find(id).ifPresent(c -> {
        int code = exitStatus(c.state()).code();
        if (RestartScheduler.shouldRestart(c.hostConfig().restartPolicy(), c.restartCount() + 1, code, false)) {
          repository.update(c.withState(new ContainerState.Restarting(code, ContainerState.NEVER, clock.instant(),
                  c.state() instanceof ContainerState.Exited x && x.oomKilled()))
              .withRestartCount(c.restartCount() + 1));
          scheduleRestart(id, Duration.ZERO);
        }
      }));
    }
  }

  /**
   * The container as it is now (null if removed), a pending restart by its policy turned into a
   * stop by the user; a restart that already began leaves it running, for the caller to stop.
   */
  private Container withoutPendingRestart(ContainerId id) {
    cancelRestart(id);
    return repository.find(id).orElse(null);
  }

  /** Turns a pending restart into a stop by the user; false if the restart already began. */
  private boolean cancelRestart(ContainerId id) {
    return locks.with(id, () -> {
      Container c = repository.find(id).orElse(null);
      if (c == null || !(c.state() instanceof ContainerState.Restarting r)) {
        return false;
      }
      restarts.cancel(id);
      var stopped = new ContainerState.Exited(r.exitCode(), r.startedAt(), r.finishedAt(), "", r.oomKilled(),
          true);
      repository.update(c.withState(stopped));
      waiters.exited(id, exitStatus(stopped));
      return true;
    });
  }

  private void removeIfAuto(Container c, Set<ContainerId> mounted) {
    if (mounted.contains(c.id())) {
      rootfs.unmount(c.id());
    }
    if (c.hostConfig().autoRemove()) {
      removeStopped(c.id(), true);
    }
  }

  private void removeStopped(ContainerId id, boolean removeVolumes) {
    removeStopped(id, removeVolumes, null);
  }

  /**
   * @param cleaned the record as an exit left it once its run was cleaned up (null: none): if the
   *     container is still that, nothing has run since and there is no runtime state to delete
   */
  private void removeStopped(ContainerId id, boolean removeVolumes, Container cleaned) {
    Runnable deletion = locks.with(id, () -> {
      Container c = repository.find(id).orElse(null);
      if (c == null) {
        return null;
      }
      if (c.state().isRunning()) {
        throw new ConflictException("cannot remove container \"" + c.name().slashed() + "\": container is running");
      }
      restarts.forget(id);
      if (!c.equals(cleaned)) {
        runtime.delete(id);
      }
      volumes.release(c);
      // The record goes first: a crash before the files are gone leaves a directory nothing
      // names, which the next start deletes, never a record pointing at half-deleted files. The
      // files are only set aside here: deleting them (a whole writable layer) is no part of the
      // removal a waiter waits for.
      repository.delete(id);
      Runnable files = rootfs.setAside(id);
      if (removeVolumes) {
        volumes.removeAnonymous(c);
      }
      execs.containerStopped(id);
      health.forget(id);
      attach.containerRemoved(id);
      ExitStatus s = exitStatus(c.state());
      // moby's SetRemoved clears the error before it wakes the waiters: a wait the removal ends gets
      // the exit code alone ("Error": null), even after a failed start, so `run --rm` says it once.
      waiters.removed(id, new ExitStatus(s.code(), ""));
      events.emit(c, "destroy");
      return files;
    });
    if (deletion != null) {
      locks.forget(id);
      stopping.remove(id);
      try {
        deletion.run();
      } catch (RuntimeException e) {
        // Removed all the same: what was set aside is deleted at the next start.
        LOG.log(System.Logger.Level.WARNING, "cannot delete the files of removed container " + id.shortId() + ": " + e);
      }
      // Its record is gone, so its log follows are draining: as dockerd, answer after they end.
      attach.awaitLogFollowsEnded(id);
      LOG.log(System.Logger.Level.INFO, "removed container " + id.shortId());
    }
  }

  /** Runtime state, the sandbox, the rootfs mount and volume mounts go when a run ends; the container's files stay. */
  private void cleanUpRun(Container c) {
    try {
      runtime.delete(c.id());
    } finally {
      try {
        sandbox.tearDown(c);
      } finally {
        try {
          rootfs.unmount(c.id());
        } finally {
          volumes.release(c);
          volumes.announce(c, false);
        }
      }
    }
  }

  private void resumeQuietly(ContainerId id) {
    try {
      runtime.resume(id);
    } catch (RuntimeException e) {
      // It died of the signal already, or was thawed by it.
    }
  }

  private void signalOrReap(ContainerId id, int signal) {
    if (!runtime.signal(id, signal)) {
      // Already dead; record it now in case its exit has not been seen yet.
      handleExit(id);
    }
  }

  private Container current(ContainerId id) {
    return repository.find(id).orElseThrow(() -> new ConflictException("container " + id + " was removed"));
  }

  private EngineException startFailed(Container c, RuntimeException e) {
    if (!(e instanceof InvalidArgumentException) && !(e instanceof StartRefusedException)
        && !(e instanceof ConfigRefusedException)) {
      return e instanceof EngineException ee ? ee : new InternalException("starting container: " + e.getMessage(), e);
    }
    String message = e.getMessage();
    String full = message.startsWith("unable to find") || e instanceof ConfigRefusedException ? message
        : "failed to create task for container: OCI runtime create failed: " + message;
    int code = e instanceof StartRefusedException refused ? refused.exitCode() : 128;
    // A failed start keeps the last run's OOMKilled: dockerd resets it only once the process runs.
    ContainerState failed = switch (c.state()) {
      case ContainerState.Exited x -> new ContainerState.Exited(code, x.startedAt(), x.finishedAt(), full,
          x.oomKilled(), false);
      case ContainerState.Restarting x -> new ContainerState.Exited(code, x.startedAt(), x.finishedAt(), full,
          x.oomKilled(), false);
      default -> new ContainerState.Created(code, full);
    };
    repository.update(c.withState(failed));
    return new InvalidArgumentException(full, e);
  }

  private static ConflictException notRunning(String ref, Container c) {
    return new ConflictException("cannot kill container: " + ref + ": container " + c.id().hex() + " is not running");
  }

  private static int stopSignal(Container c) {
    String s = c.config().stopSignal();
    return s.isEmpty() ? Signals.SIGTERM : Signals.parse(s);
  }

  static ExitStatus exitStatus(ContainerState s) {
    return switch (s) {
      case ContainerState.Created c -> new ExitStatus(c.exitCode(), c.error());
      case ContainerState.Live l -> new ExitStatus(0, "");
      case ContainerState.Exited e -> new ExitStatus(e.exitCode(), e.error());
      case ContainerState.Restarting r -> new ExitStatus(r.exitCode(), "");
      case ContainerState.Dead d -> new ExitStatus(255, d.error());
    };
  }

  /** Waits for an exit; false on timeout. A null timeout waits forever. */
  private boolean await(CompletableFuture<ExitStatus> exit, Duration timeout) {
    CompletableFuture<Boolean> exited = exit.thenApply(s -> true);
    Scheduler.Scheduled deadline = timeout == null || exit.isDone() ? null
        : scheduler.schedule("exit-timeout", timeout, () -> exited.complete(false));
    try {
      return exited.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while waiting for the container to exit", e);
    } catch (ExecutionException e) {
      throw new InternalException("waiting for exit: " + e.getCause().getMessage(), e.getCause());
    } finally {
      if (deadline != null) {
        deadline.cancel();
      }
    }
  }
}
