package dev.berth.core.error;

/** The request is malformed or names an impossible value (400). */
public final class InvalidArgumentException extends EngineException {

  public InvalidArgumentException(String message) {
    super(message);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
