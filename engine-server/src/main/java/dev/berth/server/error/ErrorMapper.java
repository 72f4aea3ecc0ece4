package dev.berth.server.error;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.EngineException;
import dev.berth.core.error.ForbiddenException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.NotModifiedException;
import dev.berth.core.error.NotImplementedException;
import dev.berth.core.error.StartRefusedException;
import dev.berth.core.error.UnauthorizedException;
import dev.berth.core.error.UnavailableException;
import dev.berth.core.error.UpstreamException;
import dev.berth.server.api.Json;
import dev.berth.server.api.RequestBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The only place where kinds of failure become HTTP statuses. Bodies are {@code {"message":...}}
 * with a Content-Type of exactly {@code application/json}: with a charset suffix the docker CLI
 * prints the raw JSON instead of the message.
 */
public final class ErrorMapper {

  private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());
  public static final String JSON = "application/json";

  private ErrorMapper() {}

  public static Status status(EngineException e) {
    return switch (e) {
      case NotFoundException x -> Status.NOT_FOUND_404;
      case ConflictException x -> Status.CONFLICT_409;
      case InvalidArgumentException x -> Status.BAD_REQUEST_400;
      case StartRefusedException x -> Status.BAD_REQUEST_400;
      case NotModifiedException x -> Status.NOT_MODIFIED_304;
      case UnavailableException x -> Status.SERVICE_UNAVAILABLE_503;
      case InternalException x -> Status.INTERNAL_SERVER_ERROR_500;
      case UnauthorizedException x -> Status.UNAUTHORIZED_401;
      case ForbiddenException x -> Status.FORBIDDEN_403;
      // dockerd answers what a registry did wrong with its errdefs.Unknown: a 500.
      case UpstreamException x -> Status.INTERNAL_SERVER_ERROR_500;
      case NotImplementedException x -> Status.NOT_IMPLEMENTED_501;
    };
  }

  public static void write(ServerRequest req, ServerResponse res, EngineException e) {
    if (res.isSent()) {
      return;
    }
    Status status = status(e);
    res.status(status);
    if (RequestBody.isMalformed(e)) {
      // The rest of the stream cannot be framed: Go's server closes the connection after this answer.
      res.header(HeaderValues.CONNECTION_CLOSE);
    }
    // A HEAD answer has no body: one sent anyway is read by the client as the next response.
    if (status == Status.NOT_MODIFIED_304 || req.prologue().method().text().equals("HEAD")) {
      res.send();
      return;
    }
    if (e instanceof InternalException) {
      LOG.log(System.Logger.Level.ERROR, req.prologue().method().text() + " " + req.path().path() + ": "
          + e.getMessage(), e.getCause());
    }
    sendJson(res, e.getMessage());
  }

  public static void unexpected(ServerRequest req, ServerResponse res, Throwable t) {
    LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + req.prologue().method().text() + " "
        + req.path().path(), t);
    if (res.isSent()) {
      return;
    }
    res.status(Status.INTERNAL_SERVER_ERROR_500);
    sendJson(res, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  private static void sendJson(ServerResponse res, String message) {
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(Json.bytes(new ErrorResponse(message == null ? "" : message)));
  }

  /** ErrorResponse: what every client prints. */
  record ErrorResponse(String message) {}
}
