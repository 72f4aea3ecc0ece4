package dev.berth.core.runtime;

import dev.berth.core.container.model.CgroupStats;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.seccomp.SeccompProfile;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs containers: a monitor per container (conmon) over an OCI runtime (runc or crun). The
 * runtime's files are the truth about a container's process; the engine asks here and records.
 *
 * <p>Errors: a container the runtime refuses to run (missing binary, bad working directory)
 * raises {@link dev.berth.core.error.StartRefusedException} with the runtime's own message and the
 * exit code dockerd records;
 * failures of the machinery raise {@link dev.berth.core.error.InternalException}.
 */
public interface ContainerRuntime {

  /** {@code runc} or {@code crun}. */
  String name();

  /**
   * A start of a container begins: the runtime may begin, in the background, work that its {@link
   * #create} would otherwise wait for. Returns at once.
   */
  default void startBegins() {
  }

  /**
   * Makes now, for a warm-up once the engine serves, what a run confined by {@code seccomp} (null:
   * none) with {@code capabilities} would otherwise make itself the first time. Returns when done.
   */
  default void warmUp(SeccompProfile seccomp, List<String> capabilities) {
  }

  /** Creates the container under a new monitor; its process waits for {@link #start}. */
  MonitorProcess create(RunSpec spec);

  /** Lets a created container's process run. */
  void start(ContainerId id);

  /**
   * Sends {@code signal} to the container's init process; false if it is not running.
   *
   * <p>On a paused container a signal stays pending until {@link #resume}, except SIGKILL: after
   * sending it the runtime resumes the container so that it dies (as dockerd does for SIGKILL).
   * A caller stopping a paused container with another signal resumes it itself, as dockerd does
   * for the container's stop signal.
   */
  boolean signal(ContainerId id, int signal);

  /**
   * Runs another process in the running container. It joins the container's cgroups itself before
   * it runs its command, which may be just after this returns. With {@link
   * ExecSpec#attach()} the session's channel is connected before the process starts. See {@link
   * ExecSession} for when exit codes are known and what is cleaned up.
   *
   * @throws dev.berth.core.error.ConflictException "container &lt;id&gt; is not running", or the
   *     container is paused, or the exec ID is in use
   * @throws dev.berth.core.error.StartRefusedException the runtime refused the process (no such
   *     executable, bad working directory), in the runtime's words
   */
  ExecSession exec(ContainerId id, ExecSpec spec);

  /**
   * Freezes every process of the container (the freezer cgroup).
   *
   * @throws dev.berth.core.error.ConflictException if it is not running or already paused
   */
  void pause(ContainerId id);

  /**
   * Thaws a paused container.
   *
   * @throws dev.berth.core.error.ConflictException if it is not paused
   */
  void resume(ContainerId id);

  /** Whether the container is paused, from the freezer itself (valid after an engine restart). */
  boolean paused(ContainerId id);

  /**
   * Changes the cgroup limits of a running or paused container; null fields stay as they are.
   * Nothing is remembered here: the caller records the limits and passes them in the {@link
   * RunSpec} at the next create.
   *
   * @throws dev.berth.core.error.ConflictException if it is not running
   * @throws dev.berth.core.error.InternalException if the kernel refuses a limit (e.g. a memory
   *     limit below what is in use, or above the swap limit already set), in the runtime's words
   */
  void update(ContainerId id, Resources resources);

  /**
   * The host pids of every process in the container's cgroup (its init, their children, execs),
   * ascending; empty when it has none. For {@code docker top}, which runs the host's ps on them.
   */
  List<Integer> pids(ContainerId id);

  /** Resource use from the container's cgroups; empty when it has none (not running). */
  java.util.Optional<CgroupStats> stats(ContainerId id);

  /**
   * Connects to the container's stdio. Connect before {@link #start} to see its first output.
   * Only a channel with {@code stdin} writes input, and only its closing (or {@link
   * AttachChannel#closeStdin}) ends a stdin-once container's input, as in Docker.
   */
  AttachChannel attach(ContainerId id, boolean stdin);

  /** Sets the TTY size of a container created with a terminal. */
  void resize(ContainerId id, int height, int width);

  /** The exit code the monitor recorded, if the process has ended. */
  OptionalInt exitCode(ContainerId id);

  /**
   * Whether the kernel's OOM killer killed a process of the container during its current (or
   * just ended) run. Valid until {@link #delete}, also after an engine restart.
   */
  boolean oomKilled(ContainerId id);

  /** Whether the container's monitor still runs. */
  boolean monitorAlive(MonitorProcess process);

  /**
   * Forgets the container: runtime state, bundle, exit record and cgroups are removed, killing
   * any process left. Idempotent; never fails for a container that is already gone.
   */
  void delete(ContainerId id);

  /**
   * Every container the runtime holds anything of on the host (state, files, cgroup, a monitor
   * process), whether or not the engine recorded it running: what an engine killed during a
   * create leaves is among them. For reconciling at engine start; {@link #delete} removes it.
   */
  java.util.Set<ContainerId> present();

  /**
   * Calls {@code listener} (on a background thread) when the OOM killer kills a process of a running
   * container, as it happens; possibly more than once for one kill. {@link #oomKilled} still holds
   * the answer at exit.
   */
  void onOom(Consumer<ContainerId> listener);

  /**
   * The runtimes a container may name ({@link RunSpec.Placement#runtime()}), name to binary path,
   * the default ({@link #name()}) among them.
   */
  default java.util.Map<String, String> runtimes() {
    return java.util.Map.of(name(), "");
  }

  /** Calls {@code listener} (on a background thread) each time a container's exit is recorded. */
  void onExit(Consumer<ContainerId> listener);
}
