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
 * it: bridge with host-local addresses, portmap when ports are published there, firewall so
 * forwarded traffic is accepted on hosts whose FORWARD policy drops it.
 *
 * @param leases host-local's data directory
 * @param ipMasq masquerade outbound traffic (dockerd's ip-masq)
 */
public record CniConfig(Path leases, boolean ipMasq) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Cni.Attachment attachment(String containerId, Path netns, String ifName, Network net, Endpoint e,
      List<PortBinding> published) {
    return attachment(containerId, netns, ifName, net, e, published, false);
  }

  /**
   * The attachment, the firewall plugin told to keep the bridge isolated from other bridges
   * ({@code ingressPolicy: same-bridge}) unless {@code isolationInPlace}: berth has just seen every
   * rule the policy adds for this bridge in place ({@link IsolationRules#inPlace}). The plugin
   * checks those rules one iptables process each on every ADD (~8 of them) and adds what is missing;
   * with all of them there it does nothing, which is what leaving the policy out does.
   */
  public Cni.Attachment attachment(String containerId, Path netns, String ifName, Network net, Endpoint e,
      List<PortBinding> published, boolean isolationInPlace) {
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
    ObjectNode firewall = JSON.createObjectNode().put("type", "firewall").put("backend", "iptables");
    if (!isolationInPlace) {
      firewall.put("ingressPolicy", "same-bridge");
    }
    plugins.add(firewall);
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
        .put("ipMasq", ipMasq && !net.internal() && BridgeOptions.ipMasquerade(net))
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
