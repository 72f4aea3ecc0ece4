package dev.berth.core.container;

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
   * The process runs under its monitor (conmon); {@code monitorStartTime} tells that monitor apart
   * from a later process that reuses its pid.
   */
  record Running(int pid, int monitorPid, long monitorStartTime, Instant startedAt) implements ContainerState {}

  /** The process ended with {@code exitCode} (128 + signal when killed). */
  record Exited(int exitCode, Instant startedAt, Instant finishedAt, String error, boolean oomKilled)
      implements ContainerState {}

  /** Its monitor vanished without recording an exit: berth cannot know how it ended. */
  record Dead(Instant startedAt, Instant finishedAt, String error) implements ContainerState {}

  default boolean isRunning() {
    return this instanceof Running;
  }
}
