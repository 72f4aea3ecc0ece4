package dev.berth.core.container.model;

import java.time.Instant;

/**
 * Where a container is in its life. Transitions go through {@code ContainerLifecycle} only;
 * Docker's status words are produced by the server's translator, not here.
 */
public sealed interface ContainerState {

  Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

  /** Made but not started, or a start that failed (then {@code exitCode} and {@code error} say why). */
  record Created(int exitCode, String error) implements ContainerState {
    public static final Created FRESH = new Created(0, "");
  }

  /**
   * A state with a live process under its monitor (conmon); {@code monitorStartTime} tells that
   * monitor apart from a later process that reuses its pid.
   */
  sealed interface Live extends ContainerState {
    int pid();

    int monitorPid();

    long monitorStartTime();

    Instant startedAt();

    /**
     * Whether the OOM killer killed a process of the container during this run (dockerd sets
     * OOMKilled as the kill happens; a start clears it).
     */
    boolean oomKilled();
  }

  /** The process runs. */
  record Running(int pid, int monitorPid, long monitorStartTime, Instant startedAt, boolean oomKilled)
      implements Live {

    /** A run just begun: nothing killed yet. */
    public Running(int pid, int monitorPid, long monitorStartTime, Instant startedAt) {
      this(pid, monitorPid, monitorStartTime, startedAt, false);
    }
  }

  /** The process is frozen (freezer cgroup); it resumes where it stopped. */
  record Paused(int pid, int monitorPid, long monitorStartTime, Instant startedAt, boolean oomKilled)
      implements Live {

    public Paused(int pid, int monitorPid, long monitorStartTime, Instant startedAt) {
      this(pid, monitorPid, monitorStartTime, startedAt, false);
    }
  }

  /**
   * The process ended with {@code exitCode} (128 + signal when killed). {@code oomKilled} says the
   * memory cgroup's OOM killer killed one of its processes during that run (dockerd's OOMKilled).
   * {@code stoppedByUser} records a stop or kill asked for by a client, which restart policies
   * respect.
   */
  record Exited(int exitCode, Instant startedAt, Instant finishedAt, String error, boolean oomKilled,
      boolean stoppedByUser) implements ContainerState {}

  /** The process ended and its restart policy will start it again after a delay. */
  record Restarting(int exitCode, Instant startedAt, Instant finishedAt, boolean oomKilled)
      implements ContainerState {}

  /** Its monitor vanished without recording an exit: berth cannot know how it ended. */
  record Dead(Instant startedAt, Instant finishedAt, String error) implements ContainerState {}

  /** Whether a process exists (running or paused). */
  default boolean isRunning() {
    return this instanceof Live;
  }
}
