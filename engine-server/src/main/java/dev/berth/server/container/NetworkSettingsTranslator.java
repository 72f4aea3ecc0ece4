package dev.berth.server.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.ExposedPort;
import dev.berth.core.network.Network;
import dev.berth.core.network.Networking;
import dev.berth.core.network.PortBinding;
import dev.berth.server.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container's networks and ports, between Docker's wire shapes and the engine's records. */
final class NetworkSettingsTranslator {

  private NetworkSettingsTranslator() {}

  /** HostConfig.PortBindings, PublishAllPorts and NetworkingConfig.EndpointsConfig of a create body. */
  static Networking request(ContainerJson.HostConfig h, JsonNode networkingConfig) {
    return request(h, networkingConfig, null);
  }

  /**
   * As {@link #request(ContainerJson.HostConfig, JsonNode)}, with the deprecated container-wide
   * Config.MacAddress moved to the endpoint of the network mode's network, as dockerd's
   * handleMACAddressBC does for API 1.44 and later.
   *
   * @throws InvalidArgumentException if that endpoint asks for another address
   */
  static Networking request(ContainerJson.HostConfig h, JsonNode networkingConfig, String containerMac) {
    var bindings = new ArrayList<PortBinding>();
    if (h != null && h.PortBindings() != null) {
      for (var e : h.PortBindings().entrySet()) {
        String[] key = e.getKey().split("/", 2);
        int containerPort = port(key[0], e.getKey());
        String proto = key.length > 1 ? key[1] : "tcp";
        if (!proto.equals("tcp") && !proto.equals("udp")) {
          throw new InvalidArgumentException("invalid proto: " + proto);
        }
        JsonNode list = e.getValue();
        if (list == null || list.isNull() || list.isEmpty()) {
          bindings.add(new PortBinding(containerPort, proto, "", 0));
          continue;
        }
        for (JsonNode b : list) {
          String hostPort = b.path("HostPort").asText("");
          String[] range = hostPort.split("-", 2);
          int first = hostPort.isEmpty() ? 0 : port(range[0], hostPort);
          int last = range.length > 1 ? port(range[1], hostPort) : 0;
          if (range.length > 1 && last < first) {
            throw new InvalidArgumentException("invalid port specification: \"" + hostPort + "\"");
          }
          bindings.add(new PortBinding(containerPort, proto, b.path("HostIp").asText(""), first, last));
        }
      }
    }
    var endpoints = new LinkedHashMap<String, Endpoint>();
    JsonNode configs = networkingConfig == null ? null : networkingConfig.get("EndpointsConfig");
    if (configs != null && configs.isObject()) {
      for (var e : configs.properties()) {
        JsonNode v = e.getValue();
        var aliases = new ArrayList<String>();
        v.path("Aliases").forEach(a -> aliases.add(a.asText()));
        var linkLocal = new ArrayList<String>();
        v.path("IPAMConfig").path("LinkLocalIPs").forEach(l -> linkLocal.add(l.asText()));
        var driverOpts = new java.util.TreeMap<String, String>();
        v.path("DriverOpts").properties().forEach(o -> driverOpts.put(o.getKey(), o.getValue().asText()));
        Endpoint.refuseUnsupported(driverOpts, v.path("GwPriority").asInt(0));
        var links = new ArrayList<String>();
        v.path("Links").forEach(l -> links.add(l.asText()));
        endpoints.put(e.getKey(), new Endpoint(null, aliases, v.path("IPAMConfig").path("IPv4Address").asText(""),
            null, v.path("MacAddress").asText(""), links, v.path("IPAMConfig").path("IPv6Address").asText(""),
            linkLocal));
      }
    }
    String mode = h == null || h.NetworkMode() == null || h.NetworkMode().isEmpty() ? "default" : h.NetworkMode();
    boolean ownNetwork = !mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:");
    if (containerMac != null && !containerMac.isEmpty() && ownNetwork) {
      Endpoint main = endpoints.get(mode);
      if (main == null && mode.equals("default")) {
        main = endpoints.get(Network.DEFAULT_BRIDGE);
        mode = main == null ? mode : Network.DEFAULT_BRIDGE;
      }
      if (main == null) {
        endpoints.put(mode, new Endpoint(null, List.of(), "", null, containerMac));
      } else if (main.macRequest().isEmpty()) {
        endpoints.put(mode, main.withMacRequest(containerMac));
      } else if (!main.macRequest().equals(containerMac)) {
        throw new InvalidArgumentException("the container-wide MAC address must match the endpoint-specific MAC "
            + "address for the main network, or be left empty");
      }
    }
    return new Networking(endpoints, bindings, h != null && h.PublishAllPorts(), List.of());
  }

  private static int port(String s, String spec) {
    if (s.matches("\\d{1,5}") && Integer.parseInt(s) <= 65535) {
      return Integer.parseInt(s);
    }
    throw new InvalidArgumentException("invalid port specification: \"" + spec + "\"");
  }

  /** HostConfig.PortBindings in inspect: what the client asked for. */
  static Map<String, JsonNode> portBindings(Networking n) {
    var out = new LinkedHashMap<String, JsonNode>();
    for (PortBinding b : n.portBindings()) {
      ArrayNode list = (ArrayNode) out.computeIfAbsent(b.portKey(), k -> Json.MAPPER.createArrayNode());
      list.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPortSpec());
    }
    return out;
  }

  /** NetworkSettings.Ports: published ports while it runs, exposed ones as null; nothing when stopped. */
  static Map<String, JsonNode> ports(Container c) {
    var out = new LinkedHashMap<String, JsonNode>();
    if (!c.state().isRunning()) {
      return out;
    }
    for (String exposed : c.config().exposedPorts().stream().sorted().toList()) {
      out.put(ExposedPort.parse(exposed).key(), null);
    }
    for (PortBinding b : c.networking().published()) {
      JsonNode list = out.get(b.portKey());
      if (list == null) {
        list = Json.MAPPER.createArrayNode();
        out.put(b.portKey(), list);
      }
      ((ArrayNode) list).addObject().put("HostIp", b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp())
          .put("HostPort", Integer.toString(b.hostPort()));
    }
    return out;
  }

  /** The Ports column of {@code docker ps}. */
  static List<JsonNode> summaryPorts(Container c) {
    var out = new ArrayList<JsonNode>();
    if (!c.state().isRunning()) {
      return out;
    }
    for (PortBinding b : c.networking().published()) {
      out.add(Json.MAPPER.createObjectNode().put("IP", b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp())
          .put("PrivatePort", b.containerPort()).put("PublicPort", b.hostPort()).put("Type", b.protocol()));
    }
    for (String spec : c.config().exposedPorts().stream().sorted().toList()) {
      ExposedPort exposed = ExposedPort.parse(spec);
      if (c.networking().published().stream().noneMatch(exposed::isPublishedBy)) {
        out.add(Json.MAPPER.createObjectNode().put("PrivatePort", exposed.port()).put("Type", exposed.protocol()));
      }
    }
    return out;
  }

  static Map<String, ContainerJson.Endpoint> networks(Container c) {
    var out = new LinkedHashMap<String, ContainerJson.Endpoint>();
    for (var entry : c.networking().endpoints().entrySet()) {
      Endpoint e = entry.getValue();
      Endpoint.Attachment a = c.state().isRunning() ? e.attached() : null;
      ObjectNode ipam = null;
      if (!e.ipv4Request().isEmpty() || !e.ipv6Request().isEmpty() || !e.linkLocalIps().isEmpty()) {
        // As dockerd's EndpointIPAMConfig: each field omitted when empty.
        ipam = Json.MAPPER.createObjectNode();
        if (!e.ipv4Request().isEmpty()) {
          ipam.put("IPv4Address", e.ipv4Request());
        }
        if (!e.ipv6Request().isEmpty()) {
          ipam.put("IPv6Address", e.ipv6Request());
        }
        if (!e.linkLocalIps().isEmpty()) {
          e.linkLocalIps().forEach(ipam.putArray("LinkLocalIPs")::add);
        }
      }
      boolean userDefined = !entry.getKey().equals(Network.DEFAULT_BRIDGE) && !entry.getKey().equals(Network.HOST)
          && !entry.getKey().equals(Network.NONE);
      List<String> dnsNames = null;
      if (userDefined && a != null) {
        dnsNames = new ArrayList<>(List.of(c.name().value(), c.id().shortId()));
        dnsNames.addAll(e.aliases());
      }
      // Before its first start an endpoint shows the address asked for; a stopped one none, as dockerd's.
      String mac = a != null ? a.macAddress() : c.state() instanceof ContainerState.Created ? e.macRequest() : "";
      out.put(entry.getKey(), new ContainerJson.Endpoint(ipam, e.links().isEmpty() ? null : e.links(), mac,
          e.aliases().isEmpty() ? null : e.aliases(), null, 0, e.networkId() == null ? "" : e.networkId().hex(),
          a == null ? "" : a.endpointId(), a == null ? "" : a.gateway(), a == null ? "" : a.ipAddress(),
          a == null ? 0 : a.prefixLen(), a == null ? "" : a.ipv6Gateway(), a == null ? "" : a.ipv6Address(),
          a == null ? 0 : a.ipv6PrefixLen(), dnsNames));
    }
    return out;
  }

  /**
   * Config.MacAddress in inspect: the address asked for on the network mode's network (dockerd
   * keeps showing it there for clients older than API 1.44); null for none.
   */
  static String desiredMac(Container c) {
    String mode = c.hostConfig().networkMode();
    Endpoint e = c.networking().endpoints().get(mode.equals("default") ? Network.DEFAULT_BRIDGE : mode);
    return e == null || e.macRequest().isEmpty() ? null : e.macRequest();
  }

  static ContainerJson.NetworkSettings settings(Container c, String sandboxKey) {
    Endpoint bridge = c.networking().endpoints().get(Network.DEFAULT_BRIDGE);
    Endpoint.Attachment a = bridge != null && c.state().isRunning() ? bridge.attached() : null;
    boolean running = c.state().isRunning();
    return new ContainerJson.NetworkSettings("", running ? c.id().hex() : "", false, "", 0, ports(c),
        running ? sandboxKey : "", null, null, a == null ? "" : a.endpointId(), a == null ? "" : a.gateway(),
        a == null ? "" : a.ipv6Address(), a == null ? 0 : a.ipv6PrefixLen(), a == null ? "" : a.ipAddress(),
        a == null ? 0 : a.prefixLen(), a == null ? "" : a.ipv6Gateway(), a == null ? "" : a.macAddress(),
        networks(c));
  }
}
