package dev.berth.core.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.os.NetNamespaces;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsServerTest {

  private static final int WAIT_MS = 5_000;
  private static final Inet4Address WEB = DnsResponderTest.v4("172.18.0.2");
  private static final NameLookup LOOKUP = name -> name.equals("web") ? List.of(WEB) : List.of();

  @TempDir
  Path dir;

  @Test
  void answersOverUdpAndTcp() throws Exception {
    try (DnsServer server = DnsServer.serve(loopbackUdp(), loopbackTcp(), new DnsResponder(LOOKUP, Upstream.NONE))) {
      assertEquals(List.of(WEB), addresses(udpQuery(server.udpAddress(), DnsResponderTest.query("web.", Type.A))));
      InetSocketAddress tcp = server.tcpAddress().orElseThrow();
      assertEquals(List.of(WEB), addresses(tcpQuery(tcp, DnsResponderTest.query("web.", Type.A))));
      assertEquals(Rcode.SERVFAIL, udpQuery(server.udpAddress(), DnsResponderTest.query("example.com.", Type.A))
          .getRcode());
    }
  }

  @Test
  void aSlowUpstreamDoesNotHoldUpContainerNames() throws Exception {
    var release = new CountDownLatch(1);
    Upstream slow = query -> {
      try {
        release.await(WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    };
    try (DnsServer server = DnsServer.serve(loopbackUdp(), new DnsResponder(LOOKUP, slow));
        DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(WAIT_MS);
      Message external = DnsResponderTest.query("example.com.", Type.A);
      Message local = DnsResponderTest.query("web.", Type.A);
      local.getHeader().setID((external.getHeader().getID() + 1) & 0xffff);
      send(client, server.udpAddress(), external);
      send(client, server.udpAddress(), local);

      Message first = receive(client);
      assertEquals(local.getHeader().getID(), first.getHeader().getID());
      assertEquals(List.of(WEB), addresses(first));

      release.countDown();
      Message second = receive(client);
      assertEquals(external.getHeader().getID(), second.getHeader().getID());
      assertEquals(Rcode.SERVFAIL, second.getRcode());
    }
  }

  @Test
  void closingStopsServing() throws Exception {
    DatagramChannel udp = loopbackUdp();
    DnsServer server = DnsServer.serve(udp, loopbackTcp(), new DnsResponder(LOOKUP, Upstream.NONE));
    assertTrue(server.isServing());
    InetSocketAddress address = server.udpAddress();

    server.close();

    assertFalse(server.isServing());
    assertFalse(udp.isOpen());
    assertThrows(SocketTimeoutException.class, () -> {
      try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        client.setSoTimeout(200);
        send(client, address, DnsResponderTest.query("web.", Type.A));
        receive(client);
      }
    });
    server.close();
  }

  @Test
  void servesAt127_0_0_11InsideTheContainersNamespace() throws Exception {
    Path ns = dir.resolve("netns/dns");
    NetNamespaces.create(ns);
    try (var upstream = new FakeNameserver();
        DnsServer server = DnsServer.openIn(ns, LOOKUP, Upstream.udp(List.of(upstream.address())))) {
      assertEquals(DnsServer.ADDRESS, server.udpAddress());

      Message local = NetNamespaces.call(ns,
          () -> udpQuery(DnsServer.ADDRESS, DnsResponderTest.query("web.", Type.A)));
      assertEquals(List.of(WEB), addresses(local));
      Message overTcp = NetNamespaces.call(ns,
          () -> tcpQuery(DnsServer.ADDRESS, DnsResponderTest.query("WEB.", Type.A)));
      assertEquals(List.of(WEB), addresses(overTcp));

      // The upstream listens on the host's loopback, which only a host-side forwarder reaches.
      Message external = NetNamespaces.call(ns,
          () -> udpQuery(DnsServer.ADDRESS, DnsResponderTest.query("example.com.", Type.A)));
      assertEquals(List.of(DnsResponderTest.v4(FakeNameserver.ADDRESS)), addresses(external));
      assertEquals(1, upstream.queries());
    } finally {
      NetNamespaces.remove(ns);
    }
  }

  private static DatagramChannel loopbackUdp() throws IOException {
    return DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private static ServerSocketChannel loopbackTcp() throws IOException {
    return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private static Message udpQuery(InetSocketAddress server, Message query) throws IOException {
    return udpQuery(server, query, WAIT_MS);
  }

  private static Message udpQuery(InetSocketAddress server, Message query, int timeoutMs) throws IOException {
    try (DatagramSocket client = new DatagramSocket()) {
      client.setSoTimeout(timeoutMs);
      send(client, server, query);
      return receive(client);
    }
  }

  private static Message tcpQuery(InetSocketAddress server, Message query) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, WAIT_MS);
      socket.setSoTimeout(WAIT_MS);
      var out = new DataOutputStream(socket.getOutputStream());
      byte[] wire = query.toWire();
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      var in = new DataInputStream(socket.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return new Message(answer);
    }
  }

  private static void send(DatagramSocket client, InetSocketAddress server, Message query) throws IOException {
    byte[] wire = query.toWire();
    client.send(new DatagramPacket(wire, wire.length, server));
  }

  private static Message receive(DatagramSocket client) throws IOException {
    byte[] buf = new byte[65_535];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    client.receive(packet);
    return new Message(Arrays.copyOf(buf, packet.getLength()));
  }

  private static List<InetAddress> addresses(Message answer) {
    return answer.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress()).toList();
  }
}
