package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: masquerading is one rule per bridge kept by berth ({@code BridgeRules}), no longer the
 * bridge plugin's chain per container. The test makes its own way out of the bridge: a network
 * namespace behind a veth pair, on addresses reserved for benchmarking (198.18.0.0/15), that
 * answers with the address a connection came from. Container traffic goes through the host to
 * that namespace and nowhere else.
 */
class MasqueradeIT {

  /** Answers every connection with its peer's address, as an HTTP body. */
  private static final String ECHO_PEER = String.join("\n",
      "import socket, sys",
      "s = socket.socket()",
      "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "s.bind((sys.argv[1], 8080))",
      "s.listen(8)",
      "while True:",
      "    c, peer = s.accept()",
      "    c.recv(4096)",
      "    c.sendall(b'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n' + peer[0].encode())",
      "    c.close()");

  @Test
  void trafficLeavingTheBridgeComesFromTheHostUnlessTheNetworkTurnsMasqueradingOff() throws Exception {
    Process server = null;
    BerthDaemon d = null;
    try (Uplink up = Uplink.make()) {
      String ns = up.ns();
      String hostIp = up.hostIp();
      String farIp = up.farIp();
      server = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", ECHO_PEER, farIp)
          .redirectErrorStream(true).start();

      d = BerthDaemon.startMasquerading();
      var cli = d.docker();
      Fixtures.importBusybox(cli, "busybox:latest");
      String masqId = cli.run("network", "create", "masq").ok().line();
      cli.run("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "plain").ok();
      String plainSubnet = cli.run("network", "inspect", "plain", "--format", "{{(index .IPAM.Config 0).Subnet}}")
          .ok().line();
      // Replies to an address that is not masqueraded find their way back through the host.
      sh("ip", "netns", "exec", ns, "ip", "route", "add", plainSubnet, "via", hostIp);
      // Debian's static busybox wget crashes on -T, so timeout bounds it, under a shell that stays
      // PID 1 (the namespace's init ignores the SIGTERM timeout sends).
      String url = "http://" + farIp + ":8080/";

      assertEquals(hostIp, cli.run("run", "--rm", "--network", "masq", "busybox", "sh", "-c",
          "timeout 5 wget -qO- " + url + "; echo").ok().line(), "masqueraded behind the host's address on the way out");
      String plain = cli.run("run", "--rm", "--network", "plain", "busybox", "sh", "-c",
          "timeout 5 wget -qO- " + url + "; echo; ip -4 -o addr show eth0").ok().out();
      String seen = plain.lines().findFirst().orElse("");
      assertTrue(plain.contains("inet " + seen + "/"), "seen with its own address: " + plain);

      String bridge = "br-" + masqId.substring(0, 12);
      assertTrue(iptablesSave().contains("! -o " + bridge + " -j MASQUERADE"), "one rule for the bridge");
      cli.run("network", "rm", "masq", "plain").ok();
      String after = iptablesSave();
      assertFalse(after.contains(bridge), "rules outlive " + bridge + ":\n" + after);
    } finally {
      if (d != null) {
        d.close();
      }
      if (server != null) {
        server.destroyForcibly().waitFor();
      }
    }
    assertTrue(d.networkLeftovers().isEmpty(), "left: " + d.networkLeftovers());
  }

  /** Writes what the first datagram to port 53 said, and who sent it, to the file given. */
  private static final String UDP_WITNESS = String.join("\n",
      "import socket, sys",
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "s.bind((sys.argv[1], 53))",
      "data, peer = s.recvfrom(512)",
      "open(sys.argv[2], 'w').write(peer[0])");

  /**
   * An attack from inside a container on an {@code --internal} network: it has no gateway, so it
   * routes around that, with a route and a neighbour entry sending its packets to the bridge's own
   * address, which has the host forward them (NET_ADMIN stands in here for a frame written raw,
   * which a default container's NET_RAW allows). dockerd drops what leaves an internal network's
   * subnet; so does berth, and the witness outside hears nothing, while the same packet from a
   * container on a plain network does reach it.
   */
  @Test
  void aContainerOnAnInternalNetworkCannotSendAnythingOffItsBridge() throws Exception {
    java.nio.file.Path heard = java.nio.file.Files.createTempFile("bt-heard", ".txt");
    java.nio.file.Files.delete(heard);
    Process witness = null;
    BerthDaemon d = null;
    try (Uplink up = Uplink.make()) {
      String ns = up.ns();
      String farIp = up.farIp();
      d = BerthDaemon.startMasquerading();
      var cli = d.docker();
      Fixtures.importBusybox(cli, "busybox:latest");
      String internal = cli.run("network", "create", "--internal", "sealed").ok().line();
      String plain = cli.run("network", "create", "open").ok().line();
      for (String net : List.of("sealed", "open")) {
        witness = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", UDP_WITNESS, farIp, heard.toString())
            .redirectErrorStream(true).start();
        Thread.sleep(300); // the witness binds its socket
        // A first container on the network makes its bridge, whose address the attack needs.
        String holder = cli.run("run", "-d", "--network", net, "busybox", "sleep", "60").ok().line();
        String bridge = "br-" + (net.equals("sealed") ? internal : plain).substring(0, 12);
        String mac = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", bridge, "address")).strip();
        cli.run("run", "--rm", "--network", net, "--cap-add", "NET_ADMIN", "busybox", "sh", "-c",
            "ip route add " + farIp + "/32 dev eth0; arp -s " + farIp + " " + mac + "; for i in 1 2 3; do "
                + "timeout 1 nslookup exfiltrated " + farIp + "; done; true").ok();
        Thread.sleep(500);
        witness.destroyForcibly().waitFor();
        cli.run("rm", "-f", holder).ok();
        if (net.equals("sealed")) {
          assertFalse(java.nio.file.Files.exists(heard), "a packet left the internal network");
        } else {
          assertTrue(java.nio.file.Files.exists(heard), "the attack's packet, from a plain network, is the control");
        }
      }
      cli.run("network", "rm", "sealed", "open").ok();
    } finally {
      if (witness != null) {
        witness.destroyForcibly().waitFor();
      }
      if (d != null) {
        d.close();
      }
      java.nio.file.Files.deleteIfExists(heard);
    }
    assertTrue(d.networkLeftovers().isEmpty(), "left: " + d.networkLeftovers());
  }

  /**
   * The test's own way out of the bridge: a network namespace behind a veth pair, the host's end
   * at {@code hostIp}, the namespace's at {@code farIp}, on addresses reserved for benchmarking.
   */
  private record Uplink(String ns, String hostEnd, String hostIp, String farIp) implements AutoCloseable {

    static Uplink make() throws IOException, InterruptedException {
      String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
      int block = ThreadLocalRandom.current().nextInt(256);
      var up = new Uplink("bt-up-" + id, "btu" + id, "198.19." + block + ".1", "198.19." + block + ".2");
      String farEnd = "btf" + id;
      try {
        sh("ip", "netns", "add", up.ns);
        sh("ip", "link", "add", up.hostEnd, "type", "veth", "peer", "name", farEnd);
        sh("ip", "link", "set", farEnd, "netns", up.ns);
        sh("ip", "addr", "add", up.hostIp + "/30", "dev", up.hostEnd);
        sh("ip", "link", "set", up.hostEnd, "up");
        sh("ip", "netns", "exec", up.ns, "ip", "addr", "add", up.farIp + "/30", "dev", farEnd);
        sh("ip", "netns", "exec", up.ns, "ip", "link", "set", farEnd, "up");
        return up;
      } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
        up.close();
        throw e;
      }
    }

    @Override
    public void close() throws IOException, InterruptedException {
      quietly("ip", "netns", "del", ns);
      quietly("ip", "link", "del", hostEnd);
    }
  }

  private static String iptablesSave() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("iptables-save").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static void sh(String... cmd) throws IOException, InterruptedException {
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }

  private static void quietly(String... cmd) throws IOException, InterruptedException {
    new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }
}
