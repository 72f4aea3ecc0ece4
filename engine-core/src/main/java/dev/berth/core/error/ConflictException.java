package dev.berth.core.error;

/** The request conflicts with the object's current state (409). */
public final class ConflictException extends EngineException {

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
