package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniConfigTest {

  private static final NetworkId ID = new NetworkId("ab".repeat(32));
  private static final Endpoint ANY = new Endpoint(ID, List.of(), "", null);

  private static Network network(boolean internal, IpamPool pool) {
    return new Network(ID, "accnet", "bridge", Instant.EPOCH, internal, false, "default", List.of(pool), Map.of(),
        Map.of(), Map.of(), "br-abababababab");
  }

  @Test
  void aPlainAttachmentIsTheBridgeAloneWithTheNetworksLeasesAndRouteAndNoRulesOfItsOwn() {
    var config = new CniConfig(Path.of("/run/berth/cni/ipam"), true);
    var a = config.attachment("c".repeat(64), Path.of("/run/berth/netns/c"), "eth0",
        network(false, new IpamPool("172.18.0.0/16", "172.18.0.1", null)), ANY, List.of());
    assertEquals("berth-abababababab", a.network());
    assertEquals(List.of("bridge"), a.plugins().stream().map(p -> p.get("type").asText()).toList());
    var bridge = a.plugins().getFirst();
    assertEquals("br-abababababab", bridge.get("bridge").asText());
    assertTrue(bridge.get("isGateway").asBoolean());
    assertFalse(bridge.get("ipMasq").asBoolean(), "berth masquerades per bridge (BridgeRules)");
    assertTrue(config.masquerades(network(false, new IpamPool("172.18.0.0/16", "172.18.0.1", null))));
    assertEquals("/run/berth/cni/ipam", bridge.at("/ipam/dataDir").asText());
    assertEquals("172.18.0.0/16", bridge.at("/ipam/ranges/0/0/subnet").asText());
    assertEquals("172.18.0.1", bridge.at("/ipam/ranges/0/0/gateway").asText());
    assertEquals("0.0.0.0/0", bridge.at("/ipam/routes/0/dst").asText());
    assertEquals(Map.of(), a.args());
    assertEquals(Map.of(), a.runtimeConfig());
  }

  @Test
  void anInternalNetworkHasNoGatewayRouteOrMasquerade() {
    var config = new CniConfig(Path.of("/l"), true);
    var bridge = config.bridge(network(true, new IpamPool("10.5.0.0/24", null, null)));
    assertFalse(bridge.get("isGateway").asBoolean());
    assertFalse(config.masquerades(network(true, new IpamPool("10.5.0.0/24", null, null))));
    assertTrue(bridge.at("/ipam/routes").isMissingNode());
    assertEquals("10.5.0.1", bridge.at("/ipam/ranges/0/0/gateway").asText(), "the first address, as Docker's");
  }

  @Test
  void anIpRangeBecomesHostLocalsInclusiveStartAndEnd() {
    var bridge = new CniConfig(Path.of("/l"), false).bridge(
        network(false, new IpamPool("10.6.0.0/16", "10.6.0.1", "10.6.5.0/24")));
    assertEquals("10.6.5.1", bridge.at("/ipam/ranges/0/0/rangeStart").asText());
    assertEquals("10.6.5.254", bridge.at("/ipam/ranges/0/0/rangeEnd").asText());
  }

  @Test
  void publishedPortsAddPortmapAndAStaticAddressGoesInTheArgs() {
    var a = new CniConfig(Path.of("/l"), false).attachment("c".repeat(64), Path.of("/n"), "eth0",
        network(false, new IpamPool("172.18.0.0/16", "172.18.0.1", null)),
        new Endpoint(ID, List.of(), "172.18.0.9", null), List.of(new PortBinding(8080, "tcp", "127.0.0.1", 18080)));
    assertEquals(List.of("bridge", "portmap"), a.plugins().stream().map(p -> p.get("type").asText())
        .toList());
    assertTrue(a.plugins().get(1).at("/capabilities/portMappings").asBoolean());
    assertEquals(Map.of("IP", "172.18.0.9"), a.args());
    assertEquals(List.of(Map.of("hostPort", 18080, "containerPort", 8080, "protocol", "tcp", "hostIP", "127.0.0.1")),
        a.runtimeConfig().get("portMappings"));
  }

  @Test
  void aRequestedMacGoesToTheBridgePluginAsItsMacArgument() {
    var config = new CniConfig(Path.of("/run/berth/cni/ipam"), true);
    var a = config.attachment("c".repeat(64), Path.of("/run/berth/netns/c"), "eth0",
        network(false, new IpamPool("172.18.0.0/16", "172.18.0.1", null)),
        new Endpoint(ID, List.of(), "", null, "02:42:ac:12:00:09"), List.of());
    assertEquals(Map.of("MAC", "02:42:ac:12:00:09"), a.args());
  }

  @Test
  void macAddressesAreReadInGoFormsAndWrittenAsTheKernelDoes() {
    assertEquals("02:42:ac:12:00:09", Endpoint.normalMac("02:42:AC:12:00:09"));
    assertEquals("02:42:ac:12:00:09", Endpoint.normalMac("02-42-ac-12-00-09"));
    assertEquals("02:42:ac:12:00:09", Endpoint.normalMac("0242.ac12.0009"));
    assertEquals("", Endpoint.normalMac("zz"));
    assertEquals("", Endpoint.normalMac("02:42:ac:12:00"));
  }

  @Test
  void anIpv6NetworkAddsASecondRangeSetADefaultRouteAndTheRequestedAddress() {
    var net = new Network(ID, "v6", "bridge", Instant.EPOCH, false, false, "default", List.of(
        new IpamPool("172.20.0.0/16", "172.20.0.1", null), new IpamPool("fd12:3456:789a:1::/64", "fd12:3456:789a:1::1",
            "fd12:3456:789a:1::/80")), Map.of(), Map.of(), Map.of(), "br-v6", true);
    var e = new Endpoint(ID, List.of(), "172.20.0.9", null, "", List.of(), "fd12:3456:789a:1::9", List.of());
    var a = new CniConfig(Path.of("/l"), true).attachment("c".repeat(64), Path.of("/n"), "eth0", net, e, List.of());
    var ipam = a.plugins().getFirst().get("ipam");
    assertEquals(2, ipam.get("ranges").size());
    var v6 = ipam.get("ranges").get(1).get(0);
    assertEquals("fd12:3456:789a:1::/64", v6.get("subnet").asText());
    assertEquals("fd12:3456:789a:1::1", v6.get("gateway").asText());
    assertEquals("fd12:3456:789a:1::2", v6.get("rangeStart").asText());
    assertEquals("fd12:3456:789a:1:0:ffff:ffff:ffff", v6.get("rangeEnd").asText());
    assertEquals("[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]", ipam.get("routes").toString());
    assertEquals("172.20.0.9,fd12:3456:789a:1::9", a.args().get("IP"));
  }

  @Test
  void anIpv4OnlyNetworkIgnoresNoIpv6RequestBecauseResolveRefusedIt() {
    var a = new CniConfig(Path.of("/l"), true).attachment("c".repeat(64), Path.of("/n"), "eth0",
        network(false, new IpamPool("10.5.0.0/24", null, null)), ANY, List.of());
    assertEquals(1, a.plugins().getFirst().get("ipam").get("ranges").size());
    assertEquals("[{\"dst\":\"0.0.0.0/0\"}]", a.plugins().getFirst().get("ipam").get("routes").toString());
  }

  @Test
  void ipMasqOffOrTheNetworksOptionOffMasqueradesNothing() {
    var net = network(false, new IpamPool("172.18.0.0/16", "172.18.0.1", null));
    assertFalse(new CniConfig(Path.of("/l"), false).masquerades(net));
    var off = new Network(ID, "accnet", "bridge", Instant.EPOCH, false, false, "default",
        List.of(new IpamPool("172.18.0.0/16", "172.18.0.1", null)),
        Map.of(), Map.of(BridgeOptions.ENABLE_IP_MASQUERADE, "false"), Map.of(), "br-abababababab");
    assertFalse(new CniConfig(Path.of("/l"), true).masquerades(off));
  }
}
