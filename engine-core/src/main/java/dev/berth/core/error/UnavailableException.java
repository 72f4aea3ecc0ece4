package dev.berth.core.error;

/** The engine cannot serve this now (503). */
public final class UnavailableException extends EngineException {

  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
