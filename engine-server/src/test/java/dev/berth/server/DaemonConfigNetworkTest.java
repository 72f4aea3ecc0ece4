package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.network.AddressPools;
import dev.berth.core.network.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthd's network settings: -b/--bridge, --bip, --ip-masq and default-address-pools, as dockerd's. */
class DaemonConfigNetworkTest {

  @TempDir
  Path tmp;

  private DaemonConfig.Network parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args).network();
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  @Test
  void defaultsAreBerth0MasqueradingNoBipAndDockerdsPools() throws IOException {
    DaemonConfig.Network n = parse("{}");
    assertEquals("berth0", n.bridge());
    assertTrue(n.ipMasq());
    assertEquals("", n.bip());
    assertEquals(List.of(), n.addressPools());
  }

  @Test
  void bridgeByShortOrLongFlag() throws IOException {
    assertEquals("br-test", parse("{}", "-b", "br-test").bridge());
    assertEquals("br-test", parse("{}", "--bridge", "br-test").bridge());
    assertEquals("br_t.2", parse("{}", "--bridge=br_t.2").bridge());
  }

  @Test
  void bridgeFromTheFile() throws IOException {
    assertEquals("docker1", parse("{\"bridge\": \"docker1\"}").bridge());
  }

  @Test
  void bridgeAsFlagAndInFileIsAConflict() {
    assertTrue(usage("{\"bridge\": \"a0\"}", "-b", "b0").contains("bridge: (from flag: b0, from file: a0)"));
  }

  @Test
  void invalidBridgeNamesAreRefused() {
    for (String bad : List.of("", "sixteen-chars-xx", "has space", "a/b", "ü0")) {
      assertEquals("unable to configure the daemon: invalid bridge name: " + bad, usage("{}", "--bridge=" + bad), bad);
    }
    assertEquals("unable to configure the daemon: invalid bridge name: a:b", usage("{\"bridge\": \"a:b\"}"));
  }

  @Test
  void aFifteenCharacterBridgeNameIsFine() throws IOException {
    assertEquals("fifteen-chars-x", parse("{}", "-b", "fifteen-chars-x").bridge());
  }

  @Test
  void bipByFlagOrFile() throws IOException {
    assertEquals("10.200.0.1/24", parse("{}", "--bip", "10.200.0.1/24").bip());
    assertEquals("10.200.0.1/24", parse("{}", "--bip=10.200.0.1/24").bip());
    assertEquals("192.168.99.1/24", parse("{\"bip\": \"192.168.99.1/24\"}").bip());
  }

  @Test
  void anInvalidBipIsRefused() {
    assertEquals("unable to configure the daemon: invalid CIDR address: 10.200.0.1", usage("{}", "--bip", "10.200.0.1"));
    assertEquals("unable to configure the daemon: invalid IP address: 10.300.0.1",
        usage("{}", "--bip", "10.300.0.1/24"));
    assertTrue(usage("{\"bip\": \"10.0.0.1/40\"}").startsWith("unable to configure the daemon: "));
  }

  @Test
  void ipMasqFlagAloneIsTrueAndFalseNeedsTheEquals() throws IOException {
    assertTrue(parse("{}", "--ip-masq").ipMasq());
    assertTrue(parse("{}", "--ip-masq=true").ipMasq());
    assertFalse(parse("{}", "--ip-masq=false").ipMasq());
  }

  @Test
  void ipMasqFalseInTheFile() throws IOException {
    assertFalse(parse("{\"ip-masq\": false}").ipMasq());
    assertTrue(parse("{\"ip-masq\": true}").ipMasq());
  }

  @Test
  void ipMasqMustBeABoolean() {
    assertEquals("unable to configure the daemon: invalid ip-masq value: yes", usage("{}", "--ip-masq=yes"));
    assertEquals("unable to configure the daemon: invalid ip-masq value: 1", usage("{\"ip-masq\": 1}"));
  }

  @Test
  void defaultAddressPoolsFromTheFile() throws IOException {
    DaemonConfig.Network n = parse("{\"default-address-pools\": [{\"base\": \"10.10.0.0/16\", \"size\": 24},"
        + " {\"base\": \"10.20.0.0/16\", \"size\": 16}]}");
    assertEquals(List.of(new AddressPools.Pool(Subnet.parse("10.10.0.0/16"), 24),
        new AddressPools.Pool(Subnet.parse("10.20.0.0/16"), 16)), n.addressPools());
  }

  @Test
  void anEmptyPoolsListMeansDockerdsDefaults() throws IOException {
    assertEquals(List.of(), parse("{\"default-address-pools\": []}").addressPools());
  }

  @Test
  void aPoolSizeOutsideItsBaseOrAboveThirtyIsRefused() {
    assertEquals("unable to configure the daemon: invalid default-address-pools size 8 for 10.10.0.0/16",
        usage("{\"default-address-pools\": [{\"base\": \"10.10.0.0/16\", \"size\": 8}]}"));
    assertEquals("unable to configure the daemon: invalid default-address-pools size 31 for 10.10.0.0/16",
        usage("{\"default-address-pools\": [{\"base\": \"10.10.0.0/16\", \"size\": 31}]}"));
    assertEquals("unable to configure the daemon: invalid default-address-pools size -1 for 10.10.0.0/16",
        usage("{\"default-address-pools\": [{\"base\": \"10.10.0.0/16\"}]}"));
  }

  @Test
  void aPoolWithABadBaseIsRefused() {
    assertEquals("unable to configure the daemon: invalid CIDR address: ",
        usage("{\"default-address-pools\": [{\"size\": 24}]}"));
    assertEquals("unable to configure the daemon: invalid CIDR address: 10.10.0.0",
        usage("{\"default-address-pools\": [{\"base\": \"10.10.0.0\", \"size\": 24}]}"));
  }

  @Test
  void networkSettingsCombineWithTheOthers() throws IOException {
    DaemonConfig c = DaemonConfig.parse(List.of("-b", "br9", "--bip=10.1.0.1/24", "--ip-masq=false", "-l", "debug",
        "--config-file", Files.writeString(tmp.resolve("d.json"), "{}").toString()));
    assertEquals(new DaemonConfig.Network("br9", "10.1.0.1/24", false, List.of()), c.network());
    assertEquals("debug", c.logLevel());
  }

  @Test
  void hostGatewayIpIsARepeatableFlagOrEitherFileKeyWithOneAddressPerFamily() throws IOException {
    assertEquals(List.of(), parse("{}").hostGatewayIps());
    assertEquals(List.of("10.0.0.1", "fd00::1"), parse("{}", "--host-gateway-ip", "10.0.0.1",
        "--host-gateway-ip=fd00::1").hostGatewayIps());
    assertEquals(List.of("10.0.0.2"), parse("{\"host-gateway-ips\": [\"10.0.0.2\"]}").hostGatewayIps());
    assertEquals(List.of("10.0.0.3"), parse("{\"host-gateway-ip\": \"10.0.0.3\"}").hostGatewayIps());
    assertEquals("unable to configure the daemon: invalid IP address: nope", usage("{}", "--host-gateway-ip", "nope"));
    assertEquals("unable to configure the daemon: only one IPv4 host gateway IP address can be specified",
        usage("{}", "--host-gateway-ip", "10.0.0.1", "--host-gateway-ip", "10.0.0.2"));
  }
}
