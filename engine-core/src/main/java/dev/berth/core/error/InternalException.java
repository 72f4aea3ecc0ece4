package dev.berth.core.error;

/** Something on this machine failed: a syscall, the runtime, the disk (500). */
public final class InternalException extends EngineException {

  public InternalException(String message) {
    super(message);
  }

  public InternalException(String message, Throwable cause) {
    super(message, cause);
  }
}
