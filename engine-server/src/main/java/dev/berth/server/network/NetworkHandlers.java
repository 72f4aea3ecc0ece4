package dev.berth.server.network;

import dev.berth.core.container.net.NetworkConnections;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.IpamPool;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkMembers;
import dev.berth.core.network.NetworkService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import dev.berth.server.api.PruneFilters;
import dev.berth.server.api.Responses;
import dev.berth.server.api.WireTime;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The {@code /networks} endpoints. */
public final class NetworkHandlers {

  private static final Set<String> LIST_FILTERS = Set.of("name", "id", "driver", "label", "type", "scope", "dangling");
  private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "until");
  private static final NetworkJson.CreateRequest EMPTY =
      new NetworkJson.CreateRequest(null, null, null, null, false, false, false, false, null, null, null, null, null);

  private final NetworkService networks;
  private final NetworkConnections connections;
  private final Clock clock;

  public NetworkHandlers(NetworkService networks, NetworkConnections connections, Clock clock) {
    this.networks = networks;
    this.connections = connections;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<NetworkHandlers> r) {
    r.get("/networks", NetworkHandlers::networkList);
    r.post("/networks/create", NetworkHandlers::networkCreate);
    r.post("/networks/prune", NetworkHandlers::networkPrune);
    r.get("/networks/{id}", NetworkHandlers::networkInspect);
    r.delete("/networks/{id}", NetworkHandlers::networkDelete);
    r.post("/networks/{id}/connect", NetworkHandlers::networkConnect);
    r.post("/networks/{id}/disconnect", NetworkHandlers::networkDisconnect);
  }

  private void networkList(ApiRequest req, ServerResponse res) {
    Filters f = req.filters().only(LIST_FILTERS);
    Responses.json(res, 200, networks.list(filter(f)).stream().map(n -> json(n, false)).toList());
  }

  private Predicate<Network> filter(Filters f) {
    List<String> names = f.get("name");
    List<String> ids = f.get("id");
    List<String> drivers = f.get("driver");
    List<String> types = f.get("type");
    for (String t : types) {
      if (!t.equals("custom") && !t.equals("builtin")) {
        throw new InvalidArgumentException("invalid filter: 'type'='" + t + "'");
      }
    }
    List<String> dangling = f.get("dangling");
    return n -> (names.isEmpty() || names.stream().anyMatch(x -> n.name().contains(x)))
        && (ids.isEmpty() || ids.stream().anyMatch(x -> n.id().hex().startsWith(x)))
        && (drivers.isEmpty() || drivers.contains(n.driver()))
        && (types.isEmpty() || types.contains(n.predefined() ? "builtin" : "custom"))
        && dev.berth.core.prune.PruneFilter.matchAll(n.labels(), f.get("label"))
        && (dangling.isEmpty() || dangling.contains(Boolean.toString(!n.predefined()
            && networks.members(n).isEmpty())));
  }

  private void networkCreate(ApiRequest req, ServerResponse res) {
    NetworkJson.CreateRequest body = Json.read(req.bodyBytes(), NetworkJson.CreateRequest.class, EMPTY);
    if (body.Scope() != null && !body.Scope().isEmpty() && !body.Scope().equals("local")) {
      throw new InvalidArgumentException("berth supports only local scope networks");
    }
    NetworkJson.Ipam ipam = body.IPAM();
    List<IpamPool> pools = ipam == null || ipam.Config() == null ? List.of()
        // A null entry is Go's zero IPAMConfig: read as {} (issue 11).
        : ipam.Config().stream().map(c -> c == null ? new IpamPool(null, null, null)
            : new IpamPool(c.Subnet(), c.Gateway(), c.IPRange())).toList();
    Network n = networks.create(new NetworkService.CreateRequest(body.Name(), body.Driver(), body.Internal(),
        body.Attachable(), ipam == null ? null : ipam.Driver(), pools, ipam == null ? null : ipam.Options(),
        body.Options(), body.Labels(), body.EnableIPv4(), body.EnableIPv6()));
    Responses.json(res, 201, new NetworkJson.CreateResponse(n.id().hex(), ""));
  }

  private void networkInspect(ApiRequest req, ServerResponse res) {
    Responses.json(res, 200, json(networks.find(req.path("id")), true));
  }

  private void networkDelete(ApiRequest req, ServerResponse res) {
    networks.remove(req.path("id"));
    Responses.noContent(res);
  }

  private void networkConnect(ApiRequest req, ServerResponse res) {
    var body = Json.read(req.bodyBytes(), NetworkJson.ConnectRequest.class, new NetworkJson.ConnectRequest(null, null));
    if (body.Container() == null || body.Container().isEmpty()) {
      throw new InvalidArgumentException("container is required");
    }
    var ep = body.EndpointConfig();
    var ipam = ep == null ? null : ep.IPAMConfig();
    if (ep != null) {
      Endpoint.refuseUnsupported(ep.DriverOpts(), ep.GwPriority());
    }
    connections.connect(req.path("id"), body.Container(), new Endpoint(null, ep == null ? List.of() : ep.Aliases(),
        ipam == null ? "" : ipam.IPv4Address(), null, ep == null ? "" : ep.MacAddress(),
        ep == null || ep.Links() == null ? List.of() : ep.Links(), ipam == null ? "" : ipam.IPv6Address(),
        ipam == null ? List.of() : ipam.LinkLocalIPs()));
    res.status(200).send();
  }

  private void networkDisconnect(ApiRequest req, ServerResponse res) {
    var body = Json.read(req.bodyBytes(), NetworkJson.DisconnectRequest.class, new NetworkJson.DisconnectRequest(null,
        false));
    if (body.Container() == null || body.Container().isEmpty()) {
      throw new InvalidArgumentException("container is required");
    }
    connections.disconnect(req.path("id"), body.Container());
    res.status(200).send();
  }

  private void networkPrune(ApiRequest req, ServerResponse res) {
    var filter = PruneFilters.parse(req.filters(), PRUNE_FILTERS, clock.instant());
    Responses.json(res, 200, new NetworkJson.PruneResponse(networks.prune(filter)));
  }

  /** Inspect and list share a shape; list leaves Containers empty, as dockerd does. */
  private NetworkJson.Network json(Network n, boolean withContainers) {
    var containers = new LinkedHashMap<String, NetworkJson.EndpointResource>();
    if (withContainers) {
      for (NetworkMembers.Member m : networks.members(n)) {
        var a = m.running() ? m.endpoint().attached() : null;
        if (a != null) {
          containers.put(m.containerId(), new NetworkJson.EndpointResource(m.containerName(), a.endpointId(),
              a.macAddress(), a.ipAddress() + "/" + a.prefixLen(),
              a.ipv6Address().isEmpty() ? "" : a.ipv6Address() + "/" + a.ipv6PrefixLen()));
        }
      }
    }
    List<NetworkJson.IpamConfig> config = n.pools().stream()
        .map(p -> new NetworkJson.IpamConfig(p.subnet(), p.ipRange(), p.gateway())).toList();
    Map<String, String> ipamOptions = n.ipamOptions().isEmpty() ? null : n.ipamOptions();
    return new NetworkJson.Network(n.name(), n.id().hex(), WireTime.format(n.created()), "local", n.driver(), true,
        n.enableIPv6(), new NetworkJson.Ipam(n.ipamDriver(), ipamOptions, config), n.internal(), n.attachable(), false,
        new NetworkJson.ConfigReference(""), false, containers, n.options(), n.labels());
  }
}
