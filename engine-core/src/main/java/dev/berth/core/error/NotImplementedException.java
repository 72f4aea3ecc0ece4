package dev.berth.core.error;

/** The engine has no way to do this for the object asked about (501, dockerd's errdefs.NotImplemented). */
public final class NotImplementedException extends EngineException {

  public NotImplementedException(String message) {
    super(message);
  }
}
