package dev.berth.server.api;

import io.helidon.webserver.http.ServerResponse;

/** One API operation. Handlers parse input, make one domain call and write the answer. */
@FunctionalInterface
public interface ApiHandler {

  void handle(ApiRequest req, ServerResponse res) throws Exception;
}
