package dev.berth.core.container.exec;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.core.error.ConflictException;
import dev.berth.core.runtime.ExecSession;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One exec instance: made by exec create, run once by exec start, inspectable until its container
 * stops or is removed (as in dockerd).
 */
public final class ExecInstance {

  /** Where an exec instance is. */
  public enum Phase { CREATED, RUNNING, EXITED }

  private final String id;
  private final ContainerId containerId;
  private final ExecConfig config;
  private Phase phase = Phase.CREATED;
  private int pid;
  private Integer exitCode;
  // Completes when the start has run: with the session, or null if it failed.
  private final java.util.concurrent.CompletableFuture<ExecSession> start = new java.util.concurrent.CompletableFuture<>();

  ExecInstance(String id, ContainerId containerId, ExecConfig config) {
    this.id = id;
    this.containerId = containerId;
    this.config = config;
  }

  public String id() {
    return id;
  }

  public ContainerId containerId() {
    return containerId;
  }

  public ExecConfig config() {
    return config;
  }

  public synchronized Phase phase() {
    return phase;
  }

  public synchronized int pid() {
    return pid;
  }

  /** The exit code once the process has ended; empty before. */
  public synchronized OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** Claims the instance for a start; it runs once. */
  synchronized void claim() {
    switch (phase) {
      case RUNNING -> throw new ConflictException("Error: Exec command " + id + " is already running");
      case EXITED -> throw new ConflictException("Error: Exec command " + id + " has already run");
      case CREATED -> phase = Phase.RUNNING;
    }
  }

  synchronized void started(ExecSession s) {
    pid = s.pid();
    start.complete(s);
  }

  /** Its start failed: the process never ran. */
  synchronized void failed(int code) {
    exited(code);
    start.complete(null);
  }

  /**
   * The session once the start has run, waiting up to {@code millis} for a start that has not;
   * empty if the start failed.
   *
   * @throws dev.berth.core.error.InternalException {@code timeout waiting for exec session ready}
   */
  Optional<ExecSession> awaitStart(long millis) throws InterruptedException {
    try {
      return Optional.ofNullable(start.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new dev.berth.core.error.InternalException("timeout waiting for exec session ready");
    } catch (java.util.concurrent.ExecutionException e) {
      return Optional.empty();
    }
  }

  synchronized void exited(int code) {
    exitCode = code;
    phase = Phase.EXITED;
  }
}
