package dev.berth.core.error;

/** The credentials given were refused (401), as dockerd's errdefs.Unauthorized. */
public final class UnauthorizedException extends EngineException {

  public UnauthorizedException(String message) {
    super(message);
  }
}
