package dev.berth.core.runtime;

import dev.berth.core.container.model.CgroupStats;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.Signals;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.StartRefusedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A runtime without a kernel, for tests. Each container is one process under one monitor: it is
 * made by {@link #create}, runs from {@link #start} until a signal ends it (exit code 128 +
 * signal) or the test calls {@link #exit}, and its state stays until {@link #delete}. A paused
 * process keeps every signal but SIGKILL pending until it is resumed, as a frozen one does.
 *
 * <p>Every call is written to the journal ({@code runtime.create}, {@code runtime.signal 15}, ...)
 * before it acts, so a test can check their order against other fakes sharing the journal. A test
 * can make a call throw ({@link #failAt}, {@link #refuseCreate}), make processes ignore signals,
 * and play what happens while berthd is down ({@link #adopt}, {@link #exitUnseen}, {@link
 * #loseMonitor}).
 *
 * <p>Exits are reported to {@link #onExit} listeners at once, on the thread that caused them (a
 * signal, {@link #exit}, {@link #resume}), once the runtime's own state says so and outside its
 * lock. The real runtime reports them a moment later on a thread of its own; here a test sees what
 * the listener recorded as soon as its call returns.
 */
public final class FakeRuntime implements ContainerRuntime {

  private static final class Process {
    final MonitorProcess monitor;
    final RunSpec spec;
    boolean started;
    boolean paused;
    boolean monitorGone;
    Integer exitCode;
    boolean oomKilled;
    Resources resources = Resources.NONE;
    final List<Integer> pending = new ArrayList<>();

    Process(MonitorProcess monitor, RunSpec spec) {
      this.monitor = monitor;
      this.spec = spec;
    }

    boolean alive() {
      return exitCode == null && !monitorGone;
    }
  }

  private final List<String> journal;
  private final Map<ContainerId, Process> processes = new HashMap<>();
  private final Map<String, RuntimeException> failures = new HashMap<>();
  private final Set<Integer> ignored = new HashSet<>();
  private final Map<ContainerId, List<Integer>> signalled = new HashMap<>();
  private final List<Consumer<ContainerId>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ContainerId>> oomListeners = new CopyOnWriteArrayList<>();
  private int nextPid = 4000;

  public FakeRuntime() {
    this(Collections.synchronizedList(new ArrayList<>()));
  }

  /** @param journal where calls are written, shared with other fakes to see their order */
  public FakeRuntime(List<String> journal) {
    this.journal = journal;
  }

  // ---- what a test sets up

  /** The next call of {@code call} ({@code create}, {@code start}, {@code signal}, ...) throws {@code e}. */
  public synchronized void failAt(String call, RuntimeException e) {
    failures.put(call, e);
  }

  /** The next create is refused as the OCI runtime refuses a process it cannot run. */
  public void refuseCreate(String message, int exitCode) {
    failAt("create", new StartRefusedException(message, exitCode));
  }

  /** Processes ignore {@code signal} (SIGKILL cannot be ignored). */
  public synchronized void ignore(int signal) {
    if (signal == Signals.SIGKILL) {
      throw new IllegalArgumentException("SIGKILL cannot be ignored");
    }
    ignored.add(signal);
  }

  /** A process started by an earlier berthd, still running under its monitor. */
  public synchronized MonitorProcess adopt(ContainerId id) {
    Process p = new Process(nextMonitor(), null);
    p.started = true;
    processes.put(id, p);
    return p.monitor;
  }

  /** The process ends with {@code code}; listeners are told. */
  public void exit(ContainerId id, int code) {
    synchronized (this) {
      Process p = running(id);
      p.exitCode = code;
    }
    exited(id);
  }

  /**
   * The memory cgroup's OOM killer kills the process (exit 137, as SIGKILL); OOM listeners are told,
   * then exit listeners.
   */
  public void oomKill(ContainerId id) {
    oomKillChild(id);
    synchronized (this) {
      running(id).exitCode = 128 + Signals.SIGKILL;
    }
    exited(id);
  }

  /** The OOM killer kills another process of the container, which runs on; OOM listeners are told. */
  public void oomKillChild(ContainerId id) {
    synchronized (this) {
      running(id).oomKilled = true;
    }
    oomListeners.forEach(l -> l.accept(id));
  }

  /** The OOM killer killed the process while berthd was down: its monitor recorded it, nobody is told. */
  public synchronized void oomKillUnseen(ContainerId id) {
    Process p = running(id);
    p.oomKilled = true;
    p.exitCode = 128 + Signals.SIGKILL;
  }

  /** The process ended with {@code code} while berthd was down: its monitor recorded it, nobody is told. */
  public synchronized void exitUnseen(ContainerId id, int code) {
    running(id).exitCode = code;
  }

  /** The monitor died without recording an exit (killed, or the host's OOM killer took it); nobody is told. */
  public synchronized void loseMonitor(ContainerId id) {
    running(id).monitorGone = true;
  }

  // ---- what a test asks

  /** The journal this runtime writes to, as it is now. */
  public List<String> calls() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  /** Whether the runtime holds state for the container (created and not deleted). */
  public synchronized boolean exists(ContainerId id) {
    return processes.containsKey(id);
  }

  /** Whether its process was started and has not ended. */
  public synchronized boolean isRunning(ContainerId id) {
    Process p = processes.get(id);
    return p != null && p.started && p.alive();
  }

  /** Every signal its processes received, in order, pending or not; kept after {@link #delete}. */
  public synchronized List<Integer> signals(ContainerId id) {
    return List.copyOf(signalled.getOrDefault(id, List.of()));
  }

  /** What the container was last created with. */
  public synchronized Optional<RunSpec> spec(ContainerId id) {
    return Optional.ofNullable(processes.get(id)).map(p -> p.spec);
  }

  /** The limits set on it by {@link #update} since it was created. */
  public synchronized Resources resources(ContainerId id) {
    return Optional.ofNullable(processes.get(id)).map(p -> p.resources).orElse(Resources.NONE);
  }

  // ---- the runtime

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public synchronized MonitorProcess create(RunSpec spec) {
    call("create");
    if (processes.containsKey(spec.id())) {
      throw new InternalException("container " + spec.id() + " already exists in the runtime");
    }
    Process p = new Process(nextMonitor(), spec);
    processes.put(spec.id(), p);
    return p.monitor;
  }

  @Override
  public synchronized void start(ContainerId id) {
    call("start");
    Process p = processes.get(id);
    if (p == null || p.started) {
      throw new ConflictException("container " + id + " is not created");
    }
    p.started = true;
  }

  @Override
  public boolean signal(ContainerId id, int signal) {
    boolean died;
    synchronized (this) {
      call("signal " + signal);
      Process p = processes.get(id);
      if (p == null || !p.alive()) {
        return false;
      }
      signalled.computeIfAbsent(id, k -> new ArrayList<>()).add(signal);
      if (signal == Signals.SIGKILL) {
        // The runtime thaws a paused container after SIGKILL, so that it dies.
        p.paused = false;
        p.exitCode = 128 + signal;
      } else if (p.paused) {
        p.pending.add(signal);
      } else {
        deliver(p, signal);
      }
      died = p.exitCode != null;
    }
    if (died) {
      exited(id);
    }
    return true;
  }

  private volatile java.util.function.BiFunction<ContainerId, ExecSpec, ExecSession> execs;

  /** How {@link #exec} answers from now on (a session, or a refusal thrown); without it, it runs none. */
  public void execWith(java.util.function.BiFunction<ContainerId, ExecSpec, ExecSession> answer) {
    execs = answer;
  }

  @Override
  public ExecSession exec(ContainerId id, ExecSpec spec) {
    call("exec");
    var answer = execs;
    if (answer == null) {
      throw new UnsupportedOperationException("FakeRuntime runs no execs");
    }
    return answer.apply(id, spec);
  }

  @Override
  public synchronized void pause(ContainerId id) {
    call("pause");
    Process p = processes.get(id);
    if (p == null || !p.alive()) {
      throw new ConflictException("container " + id.hex() + " is not running");
    }
    if (p.paused) {
      throw new ConflictException("container " + id.hex() + " is already paused");
    }
    p.paused = true;
  }

  @Override
  public void resume(ContainerId id) {
    boolean died;
    synchronized (this) {
      call("resume");
      Process p = processes.get(id);
      if (p == null || !p.paused) {
        throw new ConflictException("container " + id.hex() + " is not paused");
      }
      p.paused = false;
      for (int signal : p.pending) {
        if (p.exitCode == null) {
          deliver(p, signal);
        }
      }
      p.pending.clear();
      died = p.exitCode != null;
    }
    if (died) {
      exited(id);
    }
  }

  @Override
  public synchronized boolean paused(ContainerId id) {
    Process p = processes.get(id);
    return p != null && p.paused;
  }

  @Override
  public synchronized void update(ContainerId id, Resources resources) {
    call("update");
    Process p = processes.get(id);
    if (p == null || !p.alive()) {
      throw new ConflictException("container " + id.hex() + " is not running");
    }
    p.resources = p.resources.with(resources);
  }

  @Override
  public synchronized List<Integer> pids(ContainerId id) {
    Process p = processes.get(id);
    return p != null && p.alive() ? List.of(p.monitor.pid()) : List.of();
  }

  @Override
  public Optional<CgroupStats> stats(ContainerId id) {
    return Optional.empty();
  }

  @Override
  public AttachChannel attach(ContainerId id, boolean stdin) {
    call("attach");
    throw new UnsupportedOperationException("FakeRuntime has no stdio to attach to");
  }

  @Override
  public synchronized void resize(ContainerId id, int height, int width) {
    call("resize " + height + "x" + width);
  }

  @Override
  public synchronized OptionalInt exitCode(ContainerId id) {
    Process p = processes.get(id);
    return p == null || p.exitCode == null ? OptionalInt.empty() : OptionalInt.of(p.exitCode);
  }

  @Override
  public synchronized boolean oomKilled(ContainerId id) {
    Process p = processes.get(id);
    return p != null && p.oomKilled;
  }

  @Override
  public synchronized boolean monitorAlive(MonitorProcess process) {
    return processes.values().stream().anyMatch(p -> p.monitor.equals(process) && p.alive());
  }

  @Override
  public synchronized void delete(ContainerId id) {
    call("delete");
    processes.remove(id);
  }

  @Override
  public synchronized java.util.Set<ContainerId> present() {
    return java.util.Set.copyOf(processes.keySet());
  }

  @Override
  public void onExit(Consumer<ContainerId> listener) {
    listeners.add(listener);
  }

  @Override
  public void onOom(Consumer<ContainerId> listener) {
    oomListeners.add(listener);
  }

  private void call(String call) {
    journal.add("runtime." + call);
    RuntimeException failure = failures.remove(call.split(" ")[0]);
    if (failure != null) {
      throw failure;
    }
  }

  private void deliver(Process p, int signal) {
    if (!ignored.contains(signal)) {
      p.exitCode = 128 + signal;
    }
  }

  private Process running(ContainerId id) {
    Process p = processes.get(id);
    if (p == null || !p.alive()) {
      throw new IllegalStateException("no process runs for " + id);
    }
    return p;
  }

  private MonitorProcess nextMonitor() {
    int pid = nextPid;
    nextPid += 2;
    return new MonitorProcess(pid, pid + 1, 1_000L + pid);
  }

  private void exited(ContainerId id) {
    listeners.forEach(l -> l.accept(id));
  }
}
