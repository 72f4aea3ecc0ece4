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
}
