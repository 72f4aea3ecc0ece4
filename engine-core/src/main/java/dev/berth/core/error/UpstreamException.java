package dev.berth.core.error;

/**
 * A remote service this engine talked to (a registry) failed or refused in a way no other kind
 * describes (500, as dockerd answers its errdefs.Unknown). Not this engine's fault, so not logged
 * as an internal error; the message says what the remote side did.
 */
public final class UpstreamException extends EngineException {

  public UpstreamException(String message) {
    super(message);
  }

  public UpstreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
