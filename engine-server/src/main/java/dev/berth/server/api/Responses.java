package dev.berth.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writing ordinary (non-streamed) answers. */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {}

  public static void json(ServerResponse res, int status, Object body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(Json.bytes(body));
  }

  public static void noContent(ServerResponse res) {
    res.status(Status.NO_CONTENT_204);
    res.send();
  }
}
