package dev.berth.core.runtime;

import dev.berth.core.container.ContainerId;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs containers: a monitor per container (conmon) over an OCI runtime (runc or crun). The
 * runtime's files are the truth about a container's process; the engine asks here and records.
 *
 * <p>Errors: a container the runtime refuses to run (missing binary, bad working directory)
 * raises {@link dev.berth.core.error.InvalidArgumentException} with the runtime's own message;
 * failures of the machinery raise {@link dev.berth.core.error.InternalException}.
 */
public interface ContainerRuntime {

  /** {@code runc} or {@code crun}. */
  String name();

  /** Creates the container under a new monitor; its process waits for {@link #start}. */
  MonitorProcess create(RunSpec spec);

  /** Lets a created container's process run. */
  void start(ContainerId id);

  /** Sends {@code signal} to the container's init process; false if it is not running. */
  boolean signal(ContainerId id, int signal);

  /** Connects to the container's stdio. Connect before {@link #start} to see its first output. */
  AttachChannel attach(ContainerId id);

  /** Sets the TTY size of a container created with a terminal. */
  void resize(ContainerId id, int height, int width);

  /** The exit code the monitor recorded, if the process has ended. */
  OptionalInt exitCode(ContainerId id);

  /** Whether the container's monitor still runs. */
  boolean monitorAlive(MonitorProcess process);

  /**
   * Forgets the container: runtime state, bundle, exit record and cgroups are removed, killing
   * any process left. Idempotent; never fails for a container that is already gone.
   */
  void delete(ContainerId id);

  /** Calls {@code listener} (on a background thread) each time a container's exit is recorded. */
  void onExit(Consumer<ContainerId> listener);
}
