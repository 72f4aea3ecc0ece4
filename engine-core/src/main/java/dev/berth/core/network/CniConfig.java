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
    plugins.add(JSON.createObjectNode().put("type", "firewall").put("backend", "iptables")
        .put("ingressPolicy", "same-bridge"));
    var args = new LinkedHashMap<String, String>();
    if (!e.ipv4Request().isEmpty()) {
      args.put("IP", e.ipv4Request());
    }
    if (!e.macRequest().isEmpty()) {
      // The bridge plugin (1.1+) gives the container's veth this address (its MacEnvArgs).
      args.put("MAC", e.macRequest());
    }
    return new Cni.Attachment(containerId, netns, ifName, NetworkService.cniName(net), plugins, args, runtime);
  }

  ObjectNode bridge(Network net) {
    IpamPool pool = net.pools().getFirst();
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
    ObjectNode range = ipam.putArray("ranges").addArray().addObject()
        .put("subnet", subnet.toString()).put("gateway", gateway);
    if (pool.ipRange() != null && !pool.ipRange().isEmpty()) {
      // host-local's range is inclusive; the range's network and broadcast addresses stay out.
      Subnet r = Subnet.parse(pool.ipRange());
      range.put("rangeStart", Subnet.format(Math.max(r.at(1), subnet.at(2))));
      range.put("rangeEnd", Subnet.format(r.at((int) r.size() - 2)));
    }
    if (!net.internal()) {
      ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    }
    return b;
  }
}
