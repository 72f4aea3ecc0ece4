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
  private ExecSession session;
  private int pid;
  private Integer exitCode;

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

  synchronized Optional<ExecSession> session() {
    return Optional.ofNullable(session);
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
    session = s;
    pid = s.pid();
  }

  synchronized void exited(int code) {
    exitCode = code;
    phase = Phase.EXITED;
  }
}
