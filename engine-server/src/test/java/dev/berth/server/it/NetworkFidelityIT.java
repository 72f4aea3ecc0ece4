package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: networking as dockerd does it, seen from inside containers: host-gateway in extra
 * hosts, the sandbox key, MAC addresses. Traffic stays between the test's own containers.
 */
class NetworkFidelityIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void hostGatewayIsTheDefaultBridgesGatewayInEtcHosts() {
    String gateway = docker.run("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}").ok()
        .line();
    String hosts = docker.run("run", "--rm", "--add-host", "host.docker.internal:host-gateway",
        "--add-host", "db:10.1.2.3", "busybox", "cat", "/etc/hosts").ok().out();
    assertTrue(hosts.contains(gateway + "\thost.docker.internal\n"), hosts);
    assertTrue(hosts.contains("10.1.2.3\tdb\n"), hosts);
    assertFalse(hosts.contains("host-gateway"), hosts);
    // On a user-defined network too, and with host networking (no longer the host's own file then).
    docker.run("network", "create", "fid-hg").ok();
    try {
      String onNet = docker.run("run", "--rm", "--network", "fid-hg", "--add-host", "gw:host-gateway", "busybox",
          "cat", "/etc/hosts").ok().out();
      assertTrue(onNet.contains(gateway + "\tgw\n"), onNet);
    } finally {
      docker.run("network", "rm", "fid-hg").ok();
    }
    String host = docker.run("run", "--rm", "--network", "host", "--add-host", "gw:host-gateway", "busybox",
        "cat", "/etc/hosts").ok().out();
    assertTrue(host.contains(gateway + "\tgw\n"), host);
  }

  @Test
  void badExtraHostsAreRefusedWithDockerdsWords() throws Exception {
    var cli = docker.run("run", "--rm", "--add-host", "db:nope", "busybox", "true");
    assertNotEquals(0, cli.exit());
    assertTrue(cli.stderr().contains("invalid IP address in add-host: \"nope\""), cli.stderr());
    String api = api("POST", "/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"ExtraHosts\":[\"db:10.0.0.300\"]}}");
    assertTrue(api.contains("invalid IP address in add-host: \\\"10.0.0.300\\\""), api);
    api = api("POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"ExtraHosts\":[\"nocolon\"]}}");
    assertTrue(api.contains("bad format for add-host: \\\"nocolon\\\""), api);
  }

  @Test
  void theSandboxKeyIsThePinnedNamespaceWhileItRuns() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    try {
      String key = docker.run("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", id).ok().line();
      assertEquals(daemon.execRoot.resolve("netns").resolve(id).toString(), key);
      assertTrue(Files.exists(Path.of(key)), key);
      docker.run("stop", "-t", "0", id).ok();
      assertEquals("", docker.run("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", id).ok().line());
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  @Test
  void theDefaultMacIsRandomLocallyAdministeredAndShownByInspect() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    try {
      String inside = docker.run("exec", id, "cat", "/sys/class/net/eth0/address").ok().line();
      assertEquals(inside, docker.run("inspect", "--format", "{{.NetworkSettings.MacAddress}}", id).ok().line());
      assertEquals(inside, docker.run("inspect", "--format", "{{.NetworkSettings.Networks.bridge.MacAddress}}", id)
          .ok().line());
      int first = Integer.parseInt(inside.substring(0, 2), 16);
      assertEquals(2, first & 3, inside);
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  @Test
  void anExplicitMacIsEth0sAddress() {
    String id = docker.run("run", "-d", "--mac-address", "02:42:AC:11:00:99", "busybox", "sleep", "300").ok().line();
    try {
      assertEquals("02:42:ac:11:00:99", docker.run("exec", id, "cat", "/sys/class/net/eth0/address").ok().line());
      assertEquals("02:42:ac:11:00:99", docker.run("inspect", "--format",
          "{{.NetworkSettings.Networks.bridge.MacAddress}}", id).ok().line());
      assertEquals("02:42:ac:11:00:99", docker.run("inspect", "--format", "{{.Config.MacAddress}}", id).ok().line());
    } finally {
      docker.run("rm", "-f", id).ok();
    }
    docker.run("network", "create", "fid-mac").ok();
    try {
      String mac = docker.run("run", "--rm", "--network", "fid-mac", "--mac-address", "02:11:22:33:44:55", "busybox",
          "cat", "/sys/class/net/eth0/address").ok().line();
      assertEquals("02:11:22:33:44:55", mac);
    } finally {
      docker.run("network", "rm", "fid-mac").ok();
    }
  }

  @Test
  void aBadMacIsRefused() throws Exception {
    var cli = docker.run("run", "--rm", "--mac-address", "zz", "busybox", "true");
    assertNotEquals(0, cli.exit());
    assertTrue(cli.stderr().contains("zz is not a valid mac address"), cli.stderr());
    String api = api("POST", "/containers/create", "{\"Image\":\"busybox\",\"NetworkingConfig\":{\"EndpointsConfig\":"
        + "{\"bridge\":{\"MacAddress\":\"zz\"}}}}");
    assertTrue(api.contains("invalid config for network bridge: invalid MAC address zz"), api);
    api = api("POST", "/containers/create", "{\"Image\":\"busybox\",\"MacAddress\":\"02:42:ac:11:00:01\","
        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"MacAddress\":\"02:42:ac:11:00:02\"}}},"
        + "\"HostConfig\":{\"NetworkMode\":\"bridge\"}}");
    assertTrue(api.contains("the container-wide MAC address must match the endpoint-specific MAC address"), api);
  }

  /** One request straight to the API, for what the CLI refuses before asking; the body of the answer. */
  static String api(String method, String path, String body) throws IOException, InterruptedException {
    var p = new ProcessBuilder(List.of("curl", "-s", "--unix-socket", daemon.socket.toString(), "-X", method,
        "-H", "Content-Type: application/json", "-d", body, "http://berth/v1.51" + path)).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Test
  void aDefaultBridgeThatExistsWithAnAddressKeepsIt() throws Exception {
    // A subnet no route of this host uses, so the interface's address is the only claim on it.
    String subnet = freeSubnet();
    String gateway = subnet.replace(".0/24", ".1");
    BerthDaemon other = BerthDaemon.start(bridge -> {
      sh("ip", "link", "add", bridge, "type", "bridge");
      sh("ip", "addr", "add", gateway + "/24", "dev", bridge);
    });
    try {
      var cli = other.docker();
      Fixtures.importBusybox(cli, "busybox:latest");
      assertEquals(subnet + " " + gateway, cli.run("network", "inspect", "bridge", "--format",
          "{{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}}").ok().line());
      String eth0 = cli.run("run", "--rm", "busybox", "ip", "-4", "-o", "addr", "show", "eth0").ok().out();
      assertTrue(eth0.contains("inet " + subnet.substring(0, subnet.lastIndexOf('.') + 1)), eth0);
    } finally {
      other.close();
    }
  }

  @Test
  void aNetworksMtuIsEth0s() {
    docker.run("network", "create", "-o", "com.docker.network.driver.mtu=1400", "fid-mtu").ok();
    try {
      assertEquals("1400", docker.run("run", "--rm", "--network", "fid-mtu", "busybox", "cat",
          "/sys/class/net/eth0/mtu").ok().line());
    } finally {
      docker.run("network", "rm", "fid-mtu").ok();
    }
  }

  @Test
  void withoutIccContainersOnTheBridgeCannotReachEachOther() {
    for (String icc : List.of("false", "true")) {
      String net = "fid-icc-" + icc;
      docker.run("network", "create", "-o", "com.docker.network.bridge.enable_icc=" + icc, net).ok();
      String target = docker.run("run", "-d", "--network", net, "busybox", "sleep", "300").ok().line();
      try {
        String ip = docker.run("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net
            + "\").IPAddress}}", target).ok().line();
        var ping = docker.run("run", "--rm", "--network", net, "busybox", "ping", "-c", "1", "-W", "2", ip);
        if (icc.equals("false")) {
          assertNotEquals(0, ping.exit(), ping.out());
        } else {
          assertEquals(0, ping.exit(), ping.out() + ping.stderr());
        }
      } finally {
        docker.run("rm", "-f", target).ok();
        docker.run("network", "rm", net).ok();
      }
    }
  }

  @Test
  void badBridgeOptionsAreRefusedAsDockerdRefusesThem() {
    var mtu = docker.run("network", "create", "-o", "com.docker.network.driver.mtu=big", "fid-bad");
    assertNotEquals(0, mtu.exit());
    assertTrue(mtu.stderr().contains("failed to parse com.docker.network.driver.mtu value: big (strconv.Atoi: "
        + "parsing \"big\": invalid syntax)"), mtu.stderr());
    var icc = docker.run("network", "create", "-o", "com.docker.network.bridge.enable_icc=maybe", "fid-bad");
    assertTrue(icc.stderr().contains("failed to parse com.docker.network.bridge.enable_icc value: maybe "
        + "(strconv.ParseBool: parsing \"maybe\": invalid syntax)"), icc.stderr());
    docker.run("network", "create", "--subnet", "10.250.0.0/24", "fid-one").ok();
    try {
      var overlap = docker.run("network", "create", "--subnet", "10.250.0.0/16", "fid-two");
      assertTrue(overlap.stderr().contains("invalid pool request: Pool overlaps with other one on this address space"),
          overlap.stderr());
      var dup = docker.run("network", "create", "fid-one");
      assertTrue(dup.stderr().contains("network with name fid-one already exists"), dup.stderr());
    } finally {
      docker.run("network", "rm", "fid-one").ok();
    }
    // An option the bridge driver does not know is accepted, as by dockerd.
    docker.run("network", "create", "-o", "com.example.unknown=1", "fid-unknown").ok();
    docker.run("network", "rm", "fid-unknown").ok();
  }

  @Test
  void aLinkOnTheDefaultBridgeGivesHostsEnvAndInspectAsDockerd() {
    String db = docker.run("run", "-d", "--name", "fid-db", "-e", "SECRET=s3", "--expose", "80", "--expose", "81",
        "busybox", "sleep", "300").ok().line();
    try {
      String ip = docker.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", db).ok().line();
      String web = docker.run("run", "-d", "--name", "fid-web", "--link", "fid-db:db", "busybox", "sleep", "300").ok()
          .line();
      // The container's own process, and an exec's, as dockerd gives execs the link variables too.
      String env = docker.run("exec", web, "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ").ok().out();
      String execEnv = docker.run("exec", web, "env").ok().out();
      for (String v : List.of("DB_PORT=tcp://" + ip + ":80", "DB_PORT_80_TCP=tcp://" + ip + ":80",
          "DB_PORT_80_TCP_ADDR=" + ip, "DB_PORT_80_TCP_PORT=80", "DB_PORT_80_TCP_PROTO=tcp",
          "DB_PORT_81_TCP=tcp://" + ip + ":81", "DB_PORT_80_TCP_START=tcp://" + ip + ":80",
          "DB_PORT_80_TCP_PORT_START=80", "DB_PORT_80_TCP_END=tcp://" + ip + ":81", "DB_PORT_80_TCP_PORT_END=81",
          "DB_NAME=/fid-web/db", "DB_ENV_SECRET=s3")) {
        assertTrue(env.lines().anyMatch(v::equals), v + " in " + env);
        assertTrue(execEnv.lines().anyMatch(v::equals), v + " in the exec's " + execEnv);
      }
      assertFalse(env.contains("DB_ENV_PATH="), env);
      String hosts = docker.run("exec", web, "cat", "/etc/hosts").ok().out();
      assertTrue(hosts.contains(ip + "\tdb " + db.substring(0, 12) + " fid-db\n"), hosts);
      assertEquals("[\"/fid-db:/fid-web/db\"]", docker.run("inspect", "--format", "{{json .HostConfig.Links}}", web)
          .ok().line());

      // The linked container started again (on another address): the linking one's /etc/hosts follows.
      docker.run("stop", "-t", "0", db).ok();
      String other = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
      docker.run("start", db).ok();
      String ip2 = docker.run("inspect", "--format", "{{.NetworkSettings.IPAddress}}", db).ok().line();
      docker.run("rm", "-f", other).ok();
      String hosts2 = docker.run("exec", web, "cat", "/etc/hosts").ok().out();
      assertTrue(hosts2.contains(ip2 + "\tdb " + db.substring(0, 12) + " fid-db\n"), ip + " -> " + ip2 + ": " + hosts2);
      assertFalse(!ip.equals(ip2) && hosts2.contains(ip + "\tdb "), hosts2);

      // ps lists the link's name after the container's own, as dockerd's names registry has it.
      assertEquals("fid-db,fid-web/db", docker.run("ps", "--no-trunc", "--filter", "id=" + db, "--format",
          "{{.Names}}").ok().line());
      assertEquals("fid-db", docker.run("ps", "--filter", "id=" + db, "--format", "{{.Names}}").ok().line());

      // A renamed linked container shows under its new name, as dockerd's link index follows it.
      docker.run("rename", "fid-db", "fid-db2").ok();
      assertEquals("[\"/fid-db2:/fid-web/db\"]", docker.run("inspect", "--format", "{{json .HostConfig.Links}}", web)
          .ok().line());
      docker.run("rename", "fid-db2", "fid-db").ok();

      docker.run("rm", "--link", "/fid-web/db").ok();
      assertEquals("null", docker.run("inspect", "--format", "{{json .HostConfig.Links}}", web).ok().line());
      assertEquals("running", docker.run("inspect", "--format", "{{.State.Status}}", db).ok().line());
      var noLink = docker.run("rm", "--link", "/fid-web/db");
      // The CLI trims the slashes before it asks, so dockerd names it without them.
      assertTrue(noLink.stderr().contains("No such container: fid-web/db"), noLink.stderr());
      var own = docker.run("rm", "--link", "fid-db");
      assertTrue(own.stderr().contains("Conflict, cannot remove the default link name of the container"),
          own.stderr());
    } finally {
      docker.run("rm", "-f", "fid-web", "fid-db").ok();
    }
  }

  @Test
  void linksToMissingOrStoppedContainersAreRefused() {
    var missing = docker.run("run", "--rm", "--link", "fid-nosuch:x", "busybox", "true");
    assertNotEquals(0, missing.exit());
    assertTrue(missing.stderr().contains("could not get container for fid-nosuch: No such container: fid-nosuch"),
        missing.stderr());
    docker.run("create", "--name", "fid-stopped", "busybox", "true").ok();
    try {
      var stopped = docker.run("run", "--name", "fid-web2", "--link", "fid-stopped:x", "busybox", "true");
      assertNotEquals(0, stopped.exit());
      assertTrue(stopped.stderr().contains("Cannot link to a non running container: /fid-stopped AS /fid-web2/x"),
          stopped.stderr());
      var host = docker.run("run", "--rm", "--network", "host", "--link", "fid-stopped:x", "busybox", "true");
      assertTrue(host.stderr().contains("conflicting options: host type networking can't be used with links"),
          host.stderr());
    } finally {
      docker.run("rm", "-f", "fid-web2", "fid-stopped");
    }
  }

  @Test
  void aLinkOnAUserDefinedNetworkIsAnAliasForTheLinkingContainerOnly() {
    docker.run("network", "create", "fid-ln").ok();
    try {
      String db = docker.run("run", "-d", "--name", "fid-ln-db", "--network", "fid-ln", "busybox", "sleep", "300").ok()
          .line();
      String ip = docker.run("inspect", "--format", "{{(index .NetworkSettings.Networks \"fid-ln\").IPAddress}}", db)
          .ok().line();
      String web = docker.run("run", "-d", "--name", "fid-ln-web", "--network", "fid-ln", "--link", "fid-ln-db:dbalias",
          "busybox", "sleep", "300").ok().line();
      String found = docker.run("exec", web, "nslookup", "dbalias").out();
      assertTrue(found.contains(ip), found);
      assertEquals("[\"fid-ln-db:dbalias\"]", docker.run("inspect", "--format",
          "{{json (index .NetworkSettings.Networks \"fid-ln\").Links}}", web).ok().line());
      var other = docker.run("run", "--rm", "--network", "fid-ln", "busybox", "nslookup", "dbalias");
      assertFalse(other.out().contains(ip), other.out());
    } finally {
      docker.run("rm", "-f", "fid-ln-web", "fid-ln-db");
      docker.run("network", "rm", "fid-ln").ok();
    }
  }

  private static String freeSubnet() throws IOException {
    var routes = Files.readString(Path.of("/proc/net/route"));
    for (int b = 200; b < 250; b++) {
      // /proc/net/route holds destinations little-endian: 10.b.7.0 is 00 07 b 0a.
      String hex = String.format("0007%02X0A", b);
      if (!routes.contains(hex)) {
        return "10." + b + ".7.0/24";
      }
    }
    throw new IllegalStateException("no free 10.x.7.0/24 on this host");
  }

  private static void sh(String... cmd) {
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
