package dev.berth.server.api;

import io.helidon.webserver.http.ServerResponse;

/** What operations are registered on. */
public interface ApiRoutes {

  void route(String method, String template, ApiHandler handler);

  default void get(String template, ApiHandler h) {
    route("GET", template, h);
  }

  default void head(String template, ApiHandler h) {
    route("HEAD", template, h);
  }

  default void post(String template, ApiHandler h) {
    route("POST", template, h);
  }

  default void put(String template, ApiHandler h) {
    route("PUT", template, h);
  }

  default void delete(String template, ApiHandler h) {
    route("DELETE", template, h);
  }

  /** An operation of handler group {@code G}: one of its methods, not yet bound to an instance. */
  @FunctionalInterface
  interface Operation<G> {

    void handle(G group, ApiRequest req, ServerResponse res) throws Exception;
  }

  /**
   * What a handler group (everything under /containers, say) declares its operations on. A group
   * declares them without an instance of itself, so the route table is known before any service
   * exists; {@link #bound} gives each one the instance when the router is built.
   */
  @FunctionalInterface
  interface Operations<G> {

    void route(String method, String template, Operation<G> op);

    default void get(String template, Operation<G> op) {
      route("GET", template, op);
    }

    default void head(String template, Operation<G> op) {
      route("HEAD", template, op);
    }

    default void post(String template, Operation<G> op) {
      route("POST", template, op);
    }

    default void put(String template, Operation<G> op) {
      route("PUT", template, op);
    }

    default void delete(String template, Operation<G> op) {
      route("DELETE", template, op);
    }

    /** Registers each declared operation on {@code routes}, run by {@code group}. */
    static <G> Operations<G> bound(ApiRoutes routes, G group) {
      return (method, template, op) -> routes.route(method, template, (req, res) -> op.handle(group, req, res));
    }
  }
}
