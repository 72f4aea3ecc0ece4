package dev.berth.server.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.server.DockerApi;
import dev.berth.server.api.ApiRouter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: the whole Swarm API is served, each route refusing as dockerd outside a swarm does. */
class SwarmHandlersTest {

  @Test
  void everySwarmFamilyRouteIsServed() {
    var routes = DockerApi.routeTable();
    for (var r : List.of(new ApiRouter.Route("GET", "/swarm"), new ApiRouter.Route("POST", "/swarm/init"),
        new ApiRouter.Route("POST", "/nodes/{id}/update"), new ApiRouter.Route("GET", "/services/{id}/logs"),
        new ApiRouter.Route("GET", "/tasks/{id}/logs"), new ApiRouter.Route("DELETE", "/secrets/{id}"),
        new ApiRouter.Route("POST", "/configs/{id}/update"), new ApiRouter.Route("GET", "/plugins"))) {
      assertTrue(routes.contains(r), r.toString());
    }
  }

  @Test
  void versionsAreGoUnsignedIntegers() {
    assertTrue(SwarmHandlers.fitsUint64("18446744073709551615"));
    assertFalse(SwarmHandlers.fitsUint64("18446744073709551616"));
    assertEquals("\"a\\\"b\"", SwarmHandlers.goQuote("a\"b"));
  }
}
