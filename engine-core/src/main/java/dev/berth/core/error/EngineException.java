package dev.berth.core.error;

/**
 * The one exception hierarchy of the engine. Each subclass is a kind of failure; the server maps
 * kinds to HTTP statuses in exactly one place. The message is what clients print, so its wording
 * follows dockerd's and is treated as API.
 */
public abstract sealed class EngineException extends RuntimeException
    permits NotFoundException, ConflictException, InvalidArgumentException, NotModifiedException,
        UnavailableException, InternalException, UnauthorizedException, UpstreamException, ForbiddenException,
        StartRefusedException, NotImplementedException {

  protected EngineException(String message) {
    super(message);
  }

  protected EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
