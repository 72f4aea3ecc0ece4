package dev.berth.core.error;

/** The operation is not allowed on this object (403), as dockerd's errdefs.Forbidden: a predefined network. */
public final class ForbiddenException extends EngineException {

  public ForbiddenException(String message) {
    super(message);
  }
}
