package dev.berth.core.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CNI plugin chain for one container on one bridge network, as a libcni conflist would hold
 * it: bridge with host-local addresses, and portmap when ports are published there. The host's
 * per-bridge rules (isolation, forwarding, masquerading) are berth's own ({@link BridgeRules}),
 * not the firewall plugin's and the bridge plugin's per-container ones.
 *
 * @param leases host-local's data directory
 * @param ipMasq masquerade outbound traffic (dockerd's ip-masq)
 */
public record CniConfig(Path leases, boolean ipMasq) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the bridge's outbound traffic is masqueraded: dockerd's ip-masq, the network's option, not internal. */
  public boolean masquerades(Network net) {
    return ipMasq && !net.internal() && BridgeOptions.ipMasquerade(net);
  }

  public Cni.Attachment attachment(String containerId, Path netns, String ifName, Network net, Endpoint e,
      List<PortBinding> published) {
    var plugins = new ArrayList<ObjectNode>();
    plugins.add(bridge(net));
    Map<String, Object> runtime = new LinkedHashMap<>();
    if (!published.isEmpty()) {
      ObjectNode portmap = JSON.createObjectNode().put("type", "portmap").put("snat", true);
      portmap.putObject("capabilities").put("portMappings", true);
      plugins.add(portmap);
      runtime.put("portMappings", published.stream().map(p -> Map.of("hostPort", p.hostPort(), "containerPort",
          p.containerPort(), "protocol", p.protocol(), "hostIP", p.hostIp())).toList());
    }
    var args = new LinkedHashMap<String, String>();
    // host-local takes one address per range set, comma-separated in CNI_ARGS' IP.
    var ips = new ArrayList<String>();
    if (!e.ipv4Request().isEmpty()) {
      ips.add(e.ipv4Request());
    }
    if (!e.ipv6Request().isEmpty() && net.ipv6Pool().isPresent()) {
      ips.add(e.ipv6Request());
    }
    if (!ips.isEmpty()) {
      args.put("IP", String.join(",", ips));
    }
    if (!e.macRequest().isEmpty()) {
      // The bridge plugin (1.1+) gives the container's veth this address (its MacEnvArgs).
      args.put("MAC", e.macRequest());
    }
    return new Cni.Attachment(containerId, netns, ifName, NetworkService.cniName(net), plugins, args, runtime);
  }

  ObjectNode bridge(Network net) {
    IpamPool pool = net.ipv4Pool();
    Subnet subnet = Subnet.parse(pool.subnet());
    String gateway = pool.gateway() == null || pool.gateway().isEmpty() ? Subnet.format(subnet.at(1)) : pool.gateway();
    ObjectNode b = JSON.createObjectNode()
        .put("type", "bridge")
        .put("bridge", net.bridge())
        .put("isGateway", !net.internal())
        // Masquerading is one rule per bridge (BridgeRules), not the plugin's chain per container.
        .put("ipMasq", false)
        .put("hairpinMode", true);
    int mtu = BridgeOptions.mtu(net);
    if (mtu > 0) {
      // The plugin sets it on the bridge and on both ends of the veth, as libnetwork's bridge driver.
      b.put("mtu", mtu);
    }
    ObjectNode ipam = b.putObject("ipam").put("type", "host-local").put("dataDir", leases.toString());
    var ranges = ipam.putArray("ranges");
    ObjectNode range = ranges.addArray().addObject()
        .put("subnet", subnet.toString()).put("gateway", gateway);
    if (pool.ipRange() != null && !pool.ipRange().isEmpty()) {
      // host-local's range is inclusive; the range's network and broadcast addresses stay out.
      Subnet r = Subnet.parse(pool.ipRange());
      range.put("rangeStart", Subnet.format(Math.max(r.at(1), subnet.at(2))));
      range.put("rangeEnd", Subnet.format(r.at((int) r.size() - 2)));
    }
    var pool6 = net.ipv6Pool();
    if (pool6.isPresent()) {
      // A second range set: host-local gives the container one address from each.
      Ipv6Subnet subnet6 = Ipv6Subnet.parse(pool6.get().subnet());
      ObjectNode range6 = ranges.addArray().addObject().put("subnet", subnet6.toString())
          .put("gateway", pool6.get().gateway());
      if (pool6.get().ipRange() != null && !pool6.get().ipRange().isEmpty()) {
        Ipv6Subnet r = Ipv6Subnet.parse(pool6.get().ipRange());
        range6.put("rangeStart", Ipv6Subnet.format(r.at(1).max(subnet6.at(2))));
        range6.put("rangeEnd", Ipv6Subnet.format(r.last()));
      }
    }
    if (!net.internal()) {
      var routes = ipam.putArray("routes");
      routes.addObject().put("dst", "0.0.0.0/0");
      if (pool6.isPresent()) {
        routes.addObject().put("dst", "::/0");
      }
    }
    return b;
  }
}
