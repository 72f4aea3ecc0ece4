package dev.berth.core.error;

/** The object does not exist (404). */
public final class NotFoundException extends EngineException {

  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
