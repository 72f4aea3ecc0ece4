package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: IPv6 on user-defined bridges as dockerd does it — EnableIPv6 with a given or an
 * allocated subnet, {@code --ip6}, {@code --link-local-ip}, the addresses in inspect, /etc/hosts
 * and the embedded DNS — and the isolation between bridges and without ICC holding for IPv6 as
 * for IPv4, attacked from inside containers. Every subnet is a random ULA of the test's own;
 * traffic stays between the test's containers.
 */
class Ipv6IT extends WithBerthd {

  /** A random fdXX:XXXX:XXXX::/48 of this run's own, so nothing on the host or in other tests overlaps. */
  private static final String ULA = ula();

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  // Groups written as berth (and Go) write them, without leading zeros: "fd07:3930:371", not "…:0371".
  private static String ula() {
    byte[] b = new byte[5];
    new SecureRandom().nextBytes(b);
    return "fd" + HexFormat.of().toHexDigits(b[0]) + ":" + Integer.toHexString((b[1] & 0xff) << 8 | (b[2] & 0xff))
        + ":" + Integer.toHexString((b[3] & 0xff) << 8 | (b[4] & 0xff));
  }

  private static String inspect(String what, String format) {
    return docker.run("inspect", "--format", format, what).ok().line();
  }

  @Test
  void aContainerOnAnIpv6NetworkHasBothFamiliesAndAnswersByNameOverIpv6() {
    String subnet = ULA + ":1::/64";
    docker.run("network", "create", "--ipv6", "--subnet", subnet, "v6-both").ok();
    String peer = docker.run("run", "-d", "--name", "v6-peer", "--network", "v6-both", "--ip6", ULA + ":1::10",
        "busybox", "sleep", "300").ok().line();
    try {
      assertEquals("true", docker.run("network", "inspect", "--format", "{{.EnableIPv6}}", "v6-both").ok().line());
      String ipam = docker.run("network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}};"
          + "{{end}}", "v6-both").ok().line();
      assertTrue(ipam.contains(subnet + " " + ULA + ":1::1;"), ipam);
      String net = "{{(index .NetworkSettings.Networks \"v6-both\")";
      assertEquals(ULA + ":1::10", inspect(peer, net + ".GlobalIPv6Address}}"));
      assertEquals("64", inspect(peer, net + ".GlobalIPv6PrefixLen}}"));
      assertEquals(ULA + ":1::1", inspect(peer, net + ".IPv6Gateway}}"));
      assertEquals(ULA + ":1::10", inspect(peer, net + ".IPAMConfig.IPv6Address}}"));
      assertTrue(inspect(peer, net + ".IPAddress}}").matches("\\d+\\.\\d+\\.\\d+\\.\\d+"));
      String members = docker.run("network", "inspect", "--format", "{{range .Containers}}{{.IPv6Address}}{{end}}",
          "v6-both").ok().line();
      assertEquals(ULA + ":1::10/64", members);

      String inside = docker.run("exec", peer, "ip", "-6", "addr", "show", "eth0").ok().out();
      assertTrue(inside.contains(ULA + ":1::10/64"), inside);
      String route = docker.run("exec", peer, "ip", "-6", "route").ok().out();
      assertTrue(route.contains("default via " + ULA + ":1::1"), route);
      String hosts = docker.run("exec", peer, "cat", "/etc/hosts").ok().out();
      assertTrue(hosts.contains(ULA + ":1::10\t" + peer.substring(0, 12)), hosts);

      // Another container reaches it by name over IPv6: the embedded DNS answers AAAA.
      var aaaa = docker.run("run", "--rm", "--network", "v6-both", "busybox", "nslookup", "-type=aaaa", "v6-peer");
      assertTrue(aaaa.out().contains(ULA + ":1::10"), aaaa.out() + aaaa.stderr());
      var ping = docker.run("run", "--rm", "--network", "v6-both", "busybox", "ping", "-6", "-c", "1", "-W", "5",
          "v6-peer");
      assertEquals(0, ping.exit(), ping.out() + ping.stderr());
    } finally {
      docker.run("rm", "-f", peer);
      docker.run("network", "rm", "v6-both").ok();
    }
  }

  @Test
  void anIpv6NetworkWithoutASubnetGetsASlash64OfTheEnginesOwnUla() {
    docker.run("network", "create", "--ipv6", "v6-auto-a").ok();
    docker.run("network", "create", "--ipv6", "v6-auto-b").ok();
    try {
      String a = docker.run("network", "inspect", "--format", "{{(index .IPAM.Config 1).Subnet}}", "v6-auto-a").ok()
          .line();
      String b = docker.run("network", "inspect", "--format", "{{(index .IPAM.Config 1).Subnet}}", "v6-auto-b").ok()
          .line();
      assertTrue(a.matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64"), a);
      assertTrue(b.endsWith("/64") && !a.equals(b), a + " " + b);
      // The same /48: one engine, one ULA prefix.
      assertEquals(String.join(":", java.util.Arrays.copyOf(a.split(":"), 3)),
          String.join(":", java.util.Arrays.copyOf(b.split(":"), 3)));
      String addr = docker.run("run", "--rm", "--network", "v6-auto-a", "busybox", "ip", "-6", "addr", "show",
          "eth0", "scope", "global").ok().out();
      assertTrue(addr.contains(a.substring(0, a.length() - 4)), addr);
    } finally {
      docker.run("network", "rm", "v6-auto-a", "v6-auto-b").ok();
    }
  }

  @Test
  void connectGivesARunningContainerItsIp6AndLinkLocalAddresses() {
    docker.run("network", "create", "--ipv6", "--subnet", ULA + ":2::/64", "v6-conn").ok();
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    try {
      docker.run("network", "connect", "--ip6", ULA + ":2::20", "--link-local-ip", "169.254.9.9",
          "--link-local-ip", "fe80::99", "v6-conn", id).ok();
      String eth1 = docker.run("exec", id, "ip", "addr", "show", "eth1").ok().out();
      assertTrue(eth1.contains(ULA + ":2::20/64"), eth1);
      assertTrue(eth1.contains("169.254.9.9/16"), eth1);
      assertTrue(eth1.contains("fe80::99/64"), eth1);
      assertEquals("[169.254.9.9 fe80::99]", inspect(id,
          "{{(index .NetworkSettings.Networks \"v6-conn\").IPAMConfig.LinkLocalIPs}}"));
      // The default bridge has no IPv6: eth0 has no global IPv6 address.
      String eth0 = docker.run("exec", id, "ip", "-6", "addr", "show", "eth0", "scope", "global").ok().out();
      assertEquals("", eth0.strip());
    } finally {
      docker.run("rm", "-f", id);
      docker.run("network", "rm", "v6-conn").ok();
    }
  }

  @Test
  void aLinkLocalIpOnCreateIsOnEth0() {
    var out = docker.run("run", "--rm", "--link-local-ip", "169.254.7.7", "busybox", "ip", "addr", "show", "eth0")
        .ok().out();
    assertTrue(out.contains("169.254.7.7/16"), out);
  }

  @Test
  void ipv6DoesNotCrossBridgesNorGetAroundDisabledIcc() {
    docker.run("network", "create", "--ipv6", "--subnet", ULA + ":3::/64", "v6-target").ok();
    docker.run("network", "create", "--ipv6", "--subnet", ULA + ":4::/64", "v6-other").ok();
    docker.run("network", "create", "--ipv6", "--subnet", ULA + ":5::/64", "-o",
        "com.docker.network.bridge.enable_icc=false", "v6-noicc").ok();
    String target = docker.run("run", "-d", "--network", "v6-target", "--ip6", ULA + ":3::30", "busybox", "sleep",
        "300").ok().line();
    String lonely = docker.run("run", "-d", "--network", "v6-noicc", "--ip6", ULA + ":5::50", "busybox", "sleep",
        "300").ok().line();
    try {
      // The attacker on another bridge knows the address and tries it; the firewall drops it.
      var across = docker.run("run", "--rm", "--network", "v6-other", "busybox", "ping", "-c", "1", "-W", "2",
          ULA + ":3::30");
      assertNotEquals(0, across.exit(), across.out());
      // On the same bridge it answers: the drop above was isolation, not a broken network.
      var same = docker.run("run", "--rm", "--network", "v6-target", "busybox", "ping", "-c", "1", "-W", "5",
          ULA + ":3::30");
      assertEquals(0, same.exit(), same.out() + same.stderr());
      // Without ICC, a neighbour on the bridge reaches it neither over IPv4 nor over IPv6.
      var v6 = docker.run("run", "--rm", "--network", "v6-noicc", "busybox", "ping", "-c", "1", "-W", "2",
          ULA + ":5::50");
      assertNotEquals(0, v6.exit(), v6.out());
      String v4addr = inspect(lonely, "{{(index .NetworkSettings.Networks \"v6-noicc\").IPAddress}}");
      var v4 = docker.run("run", "--rm", "--network", "v6-noicc", "busybox", "ping", "-c", "1", "-W", "2", v4addr);
      assertNotEquals(0, v4.exit(), v4.out());
    } finally {
      docker.run("rm", "-f", target, lonely);
      docker.run("network", "rm", "v6-target", "v6-other", "v6-noicc").ok();
    }
  }

  @Test
  void onAnIpv4OnlyNetworkTheInterfaceHasNoIpv6AndADefaultContainerCannotTurnItOn() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    try {
      assertEquals("1", docker.run("exec", id, "cat", "/proc/sys/net/ipv6/conf/eth0/disable_ipv6").ok().line());
      assertEquals("", docker.run("exec", id, "ip", "-6", "addr", "show", "eth0").ok().out().strip());
      var attack = docker.run("exec", id, "sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6");
      assertNotEquals(0, attack.exit(), attack.out());
      assertEquals("1", docker.run("exec", id, "cat", "/proc/sys/net/ipv6/conf/eth0/disable_ipv6").ok().line());
    } finally {
      docker.run("rm", "-f", id);
    }
  }

  @Test
  void whatBerthCannotHonourIsRefused() {
    var noFlag = docker.run("network", "create", "--subnet", ULA + ":6::/64", "v6-noflag");
    assertNotEquals(0, noFlag.exit());
    assertTrue(noFlag.stderr().contains("IPv6 is not enabled on the network"), noFlag.stderr());
    var v6only = docker.run("network", "create", "--ipv4=false", "--ipv6", "v6-only");
    assertNotEquals(0, v6only.exit());
    assertTrue(v6only.stderr().contains("berth does not support IPv6-only networks"), v6only.stderr());
    var unmasked = docker.run("network", "create", "--ipv6", "--subnet", ULA + ":6::1/64", "v6-unmasked");
    assertTrue(unmasked.stderr().contains("invalid subnet " + ULA + ":6::1/64: it should be " + ULA + ":6::/64"),
        unmasked.stderr());
    docker.run("network", "create", "--ipv6", "--subnet", ULA + ":7::/64", "v6-one").ok();
    docker.run("network", "create", "v4-only").ok();
    try {
      var overlap = docker.run("network", "create", "--ipv6", "--subnet", ULA + ":7::/80", "v6-two");
      assertTrue(overlap.stderr().contains("invalid pool request: Pool overlaps with other one on this address space"),
          overlap.stderr());
      var outside = docker.run("run", "--rm", "--network", "v6-one", "--ip6", ULA + ":8::5", "busybox", "true");
      assertTrue(outside.stderr().contains("no configured subnet or ip-range contain the IP address " + ULA + ":8::5"),
          outside.stderr());
      var noV6 = docker.run("run", "--rm", "--network", "v4-only", "--ip6", ULA + ":7::5", "busybox", "true");
      assertTrue(noV6.stderr().contains("no configured subnet or ip-range contain the IP address"), noV6.stderr());
      var defaultBridge = docker.run("run", "--rm", "--ip6", ULA + ":7::5", "busybox", "true");
      assertTrue(defaultBridge.stderr().contains("user specified IP address is supported on user defined networks "
          + "only"), defaultBridge.stderr());
      String api = NetworkFidelityIT.api("POST", "/containers/create", "{\"Image\":\"busybox\",\"NetworkingConfig\":"
          + "{\"EndpointsConfig\":{\"v6-one\":{\"IPAMConfig\":{\"IPv6Address\":\"10.0.0.1\"}}}}}");
      assertTrue(api.contains("invalid IPv6 address: 10.0.0.1"), api);
      api = NetworkFidelityIT.api("POST", "/containers/create", "{\"Image\":\"busybox\",\"NetworkingConfig\":"
          + "{\"EndpointsConfig\":{\"v6-one\":{\"IPAMConfig\":{\"LinkLocalIPs\":[\"nope\"]}}}}}");
      assertTrue(api.contains("invalid link-local IP address: nope"), api);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      docker.run("network", "rm", "v6-one", "v4-only").ok();
    }
  }
}
