package dev.berth.server.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.UnavailableException;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Json;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Swarm API ({@code /swarm}, {@code /nodes}, {@code /services}, {@code /tasks},
 * {@code /secrets}, {@code /configs}) as a Docker engine that is not part of a swarm answers it:
 * berth never is. Each route first checks its request as dockerd's swarm router does (a malformed
 * body, filter or version is a 400 there too) and then refuses with the cluster's error for a node
 * outside a swarm (moby daemon/cluster: {@code errNoManager}, {@code errNoSwarm}), a 503. Creating
 * or joining a swarm is refused as well, with berth's own words: dockerd would do it, berth cannot.
 */
public final class SwarmHandlers {

  /** moby Cluster.errNoManager for a node with no swarm node at all. */
  static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or "
      + "\"docker swarm join\" to connect this node to swarm and try again.";
  /** moby errNoSwarm: what leaving answers on a node that is in no swarm. */
  static final String NOT_IN_A_SWARM = "This node is not part of a swarm";
  static final String UNSUPPORTED = "berth does not support swarm mode: this node cannot create or join a swarm";

  /** Go's strconv.ParseUint accepts decimal digits only (no sign). */
  private static final Pattern UINT = Pattern.compile("[0-9]+");
  private static final Set<String> GO_BOOLS = Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE",
      "false", "False");

  public static void routes(ApiRoutes.Operations<SwarmHandlers> r) {
    r.get("/swarm", SwarmHandlers::swarmInspect);
    r.post("/swarm/init", SwarmHandlers::swarmInit);
    r.post("/swarm/join", SwarmHandlers::swarmJoin);
    r.post("/swarm/leave", SwarmHandlers::swarmLeave);
    r.post("/swarm/update", SwarmHandlers::swarmUpdate);
    r.get("/swarm/unlockkey", SwarmHandlers::swarmUnlockkey);
    r.post("/swarm/unlock", SwarmHandlers::swarmUnlock);
    r.get("/nodes", SwarmHandlers::nodeList);
    r.get("/nodes/{id}", SwarmHandlers::notAManager);
    r.delete("/nodes/{id}", SwarmHandlers::notAManager);
    r.post("/nodes/{id}/update", (h, req, res) -> h.update(req, "node"));
    r.get("/services", SwarmHandlers::serviceList);
    r.post("/services/create", SwarmHandlers::create);
    r.get("/services/{id}", SwarmHandlers::serviceInspect);
    r.delete("/services/{id}", SwarmHandlers::notAManager);
    r.post("/services/{id}/update", (h, req, res) -> h.update(req, "service"));
    r.get("/services/{id}/logs", SwarmHandlers::logs);
    r.get("/tasks", SwarmHandlers::list);
    r.get("/tasks/{id}", SwarmHandlers::notAManager);
    r.get("/tasks/{id}/logs", SwarmHandlers::logs);
    r.get("/secrets", SwarmHandlers::list);
    r.post("/secrets/create", SwarmHandlers::create);
    r.get("/secrets/{id}", SwarmHandlers::notAManager);
    r.delete("/secrets/{id}", SwarmHandlers::notAManager);
    r.post("/secrets/{id}/update", (h, req, res) -> h.objectUpdate(req, "secret"));
    r.get("/configs", SwarmHandlers::list);
    r.post("/configs/create", SwarmHandlers::create);
    r.get("/configs/{id}", SwarmHandlers::notAManager);
    r.delete("/configs/{id}", SwarmHandlers::notAManager);
    r.post("/configs/{id}/update", (h, req, res) -> h.objectUpdate(req, "config"));
  }

  private void swarmInspect(ApiRequest req, ServerResponse res) {
    throw notAManager();
  }

  private void swarmInit(ApiRequest req, ServerResponse res) {
    body(req);
    throw new UnavailableException(UNSUPPORTED);
  }

  private void swarmJoin(ApiRequest req, ServerResponse res) {
    body(req);
    throw new UnavailableException(UNSUPPORTED);
  }

  private void swarmLeave(ApiRequest req, ServerResponse res) {
    throw new UnavailableException(NOT_IN_A_SWARM);
  }

  private void swarmUpdate(ApiRequest req, ServerResponse res) {
    update(req, "swarm");
  }

  private void swarmUnlockkey(ApiRequest req, ServerResponse res) {
    throw notAManager();
  }

  private void swarmUnlock(ApiRequest req, ServerResponse res) {
    body(req);
    throw notAManager();
  }

  private void nodeList(ApiRequest req, ServerResponse res) {
    list(req, res);
  }

  private void serviceList(ApiRequest req, ServerResponse res) {
    req.filters();
    // The status parameter exists from API 1.41; older clients' values are ignored, as dockerd does.
    if (req.version().atLeast(1, 41)) {
      goBool(req, "status");
    }
    throw notAManager();
  }

  private void serviceInspect(ApiRequest req, ServerResponse res) {
    if (req.version().atLeast(1, 29)) {
      goBool(req, "insertDefaults");
    }
    throw notAManager();
  }

  private void list(ApiRequest req, ServerResponse res) {
    req.filters();
    throw notAManager();
  }

  private void create(ApiRequest req, ServerResponse res) {
    body(req);
    throw notAManager();
  }

  private void notAManager(ApiRequest req, ServerResponse res) {
    throw notAManager();
  }

  /** Updates of the swarm, a node or a service: the body, then the object's version. */
  private void update(ApiRequest req, String kind) {
    body(req);
    String raw = req.query("version").orElse("");
    if (!UINT.matcher(raw).matches() || !fitsUint64(raw)) {
      throw new InvalidArgumentException("invalid " + kind + " version '" + raw + "': strconv.ParseUint: parsing "
          + goQuote(raw) + (UINT.matcher(raw).matches() ? ": value out of range" : ": invalid syntax"));
    }
    throw notAManager();
  }

  /** Updates of a secret or a config, which dockerd words more briefly. */
  private void objectUpdate(ApiRequest req, String kind) {
    body(req);
    String raw = req.query("version").orElse("");
    if (!UINT.matcher(raw).matches() || !fitsUint64(raw)) {
      throw new InvalidArgumentException("invalid " + kind + " version");
    }
    throw notAManager();
  }

  /** Service and task logs: dockerd wants at least one stream before it asks the cluster. */
  private void logs(ApiRequest req, ServerResponse res) {
    if (!req.bool("stdout") && !req.bool("stderr")) {
      throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
    }
    throw notAManager();
  }

  private static void body(ApiRequest req) {
    Json.read(req.bodyBytes(), JsonNode.class, null);
  }

  private static void goBool(ApiRequest req, String name) {
    req.query(name).filter(v -> !v.isEmpty() && !GO_BOOLS.contains(v)).ifPresent(v -> {
      throw new InvalidArgumentException("invalid value for " + name + ": " + v + ": strconv.ParseBool: parsing "
          + goQuote(v) + ": invalid syntax");
    });
  }

  static boolean fitsUint64(String digits) {
    try {
      Long.parseUnsignedLong(digits);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Go's %q of a value, for the ASCII a query parameter usually holds. */
  static String goQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static UnavailableException notAManager() {
    return new UnavailableException(NOT_A_MANAGER);
  }
}
