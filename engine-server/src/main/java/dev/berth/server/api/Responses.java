package dev.berth.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writing ordinary (non-streamed) answers. */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {}

  public static void json(ServerResponse res, int status, Object body) {
    written(res, status, Json.bytes(body));
  }

  /** An answer whose JSON is already written. */
  public static void written(ServerResponse res, int status, byte[] json) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(json);
  }

  public static void noContent(ServerResponse res) {
    res.status(Status.NO_CONTENT_204);
    res.send();
  }
}
