package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 11: the bridge driver's options, read as libnetwork's fromLabels reads them. */
class BridgeOptionsTest {

  @Test
  void unparsableValuesAreRefusedInLibnetworksWords() {
    assertEquals("failed to parse com.docker.network.driver.mtu value: big (strconv.Atoi: parsing \"big\": invalid "
        + "syntax)", refused(Map.of(BridgeOptions.MTU, "big")));
    assertEquals("invalid MTU number: -1", refused(Map.of(BridgeOptions.MTU, "-1")));
    assertEquals("failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing "
        + "\"maybe\": invalid syntax)", refused(Map.of(BridgeOptions.ENABLE_ICC, "maybe")));
    assertEquals("failed to parse com.docker.network.bridge.host_binding_ipv4 value: nowhere (nil ip)",
        refused(Map.of(BridgeOptions.HOST_BINDING_IPV4, "nowhere")));
    assertTrue(refused(Map.of("com.docker.network.bridge.gateway_mode_ipv4", "routed")).startsWith(
        "berth does not support"));
    BridgeOptions.check(Map.of("com.example.unknown", "x", BridgeOptions.ENABLE_ICC, "F", BridgeOptions.MTU, "1400"));
  }

  @Test
  void theNetworksOptionsGiveMtuIccMasqueradeAndBindingAddress() {
    Network plain = network(Map.of());
    assertEquals(0, BridgeOptions.mtu(plain));
    assertTrue(BridgeOptions.icc(plain));
    assertTrue(BridgeOptions.ipMasquerade(plain));
    assertEquals("", BridgeOptions.hostBindingIpv4(plain));
    Network set = network(Map.of(BridgeOptions.MTU, "1400", BridgeOptions.ENABLE_ICC, "false",
        BridgeOptions.ENABLE_IP_MASQUERADE, "0", BridgeOptions.HOST_BINDING_IPV4, "127.0.0.1"));
    assertEquals(1400, BridgeOptions.mtu(set));
    assertFalse(BridgeOptions.icc(set));
    assertFalse(BridgeOptions.ipMasquerade(set));
    assertEquals("127.0.0.1", BridgeOptions.hostBindingIpv4(set));
    assertEquals(1400, new CniConfig(java.nio.file.Path.of("/leases"), true).bridge(set).get("mtu").asInt());
    assertFalse(new CniConfig(java.nio.file.Path.of("/leases"), true).bridge(set).get("ipMasq").asBoolean());
  }

  private static String refused(Map<String, String> options) {
    return assertThrows(InvalidArgumentException.class, () -> BridgeOptions.check(options)).getMessage();
  }

  private static Network network(Map<String, String> options) {
    return new Network(new NetworkId("ab".repeat(32)), "n", "bridge", Instant.EPOCH, false, false, "default",
        List.of(new IpamPool("10.9.0.0/24", "10.9.0.1", null)), Map.of(), options, Map.of(), "br-abababababab");
  }
}
