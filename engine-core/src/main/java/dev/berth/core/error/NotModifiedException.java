package dev.berth.core.error;

/** The operation had nothing to do: starting a started container, stopping a stopped one (304). */
public final class NotModifiedException extends EngineException {

  public NotModifiedException(String message) {
    super(message);
  }
}
