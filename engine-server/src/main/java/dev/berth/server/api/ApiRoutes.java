package dev.berth.server.api;

/** What handler groups register their operations on. */
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

  /** A group of related operations, e.g. everything under /containers. */
  interface Group {
    void routes(ApiRoutes r);
  }
}
