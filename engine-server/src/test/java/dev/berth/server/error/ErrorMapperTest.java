package dev.berth.server.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.NotModifiedException;
import dev.berth.core.error.UnavailableException;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

/** The one table from kinds of failure to HTTP statuses (moby httpstatus). */
class ErrorMapperTest {

  @Test
  void eachKindHasItsStatus() {
    assertEquals(Status.NOT_FOUND_404, ErrorMapper.status(new NotFoundException("No such container: x")));
    assertEquals(Status.CONFLICT_409, ErrorMapper.status(new ConflictException("in use")));
    assertEquals(Status.BAD_REQUEST_400, ErrorMapper.status(new InvalidArgumentException("bad")));
    assertEquals(Status.NOT_MODIFIED_304, ErrorMapper.status(new NotModifiedException("already started")));
    assertEquals(Status.SERVICE_UNAVAILABLE_503, ErrorMapper.status(new UnavailableException("busy")));
    assertEquals(Status.INTERNAL_SERVER_ERROR_500, ErrorMapper.status(new InternalException("disk")));
    assertEquals(Status.UNAUTHORIZED_401, ErrorMapper.status(new dev.berth.core.error.UnauthorizedException("no")));
    assertEquals(Status.INTERNAL_SERVER_ERROR_500,
        ErrorMapper.status(new dev.berth.core.error.UpstreamException("registry said no")));
  }

  @Test
  void theCauseDoesNotChangeTheKind() {
    var cause = new IllegalStateException("boom");
    assertEquals(Status.NOT_FOUND_404, ErrorMapper.status(new NotFoundException("gone", cause)));
    assertEquals(Status.INTERNAL_SERVER_ERROR_500, ErrorMapper.status(new InternalException("io", cause)));
  }

  @Test
  void errorBodiesAreExactlyApplicationJson() {
    // With a charset suffix the docker CLI prints the raw JSON instead of the message.
    assertEquals("application/json", ErrorMapper.JSON);
  }
}
