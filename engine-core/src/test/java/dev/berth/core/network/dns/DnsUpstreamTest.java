package dev.berth.core.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsUpstreamTest {

  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aQueryIsForwardedAndItsAnswerReturnedUnchanged() throws Exception {
    try (var server = new FakeNameserver()) {
      Message query = DnsResponderTest.query("example.com.", Type.A);

      Message answer = new Message(Upstream.udp(List.of(server.address())).forward(query.toWire()).orElseThrow());

      assertEquals(query.getHeader().getID(), answer.getHeader().getID());
      assertEquals(FakeNameserver.ADDRESS,
          ((ARecord) answer.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress());
    }
  }

  @Test
  void aSilentServerIsSkippedForTheNext() throws Exception {
    try (var silent = new FakeNameserver(answer -> null); var good = new FakeNameserver()) {
      var upstream = Upstream.udp(List.of(silent.address(), good.address()), SHORT);

      long start = System.nanoTime();
      Optional<byte[]> answer = upstream.forward(DnsResponderTest.query("example.com.", Type.A).toWire());

      assertTrue(answer.isPresent());
      assertEquals(1, silent.queries());
      assertEquals(1, good.queries());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT) >= 0);
    }
  }

  @Test
  void aClosedPortIsSkippedForTheNext() throws Exception {
    InetSocketAddress closed;
    var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (DatagramChannel gone = DatagramChannel.open().bind(loopback)) {
      closed = (InetSocketAddress) gone.getLocalAddress();
    }
    try (var good = new FakeNameserver()) {
      var upstream = Upstream.udp(List.of(closed, good.address()), SHORT);

      assertTrue(upstream.forward(DnsResponderTest.query("example.com.", Type.A).toWire()).isPresent());
    }
  }

  @Test
  void anAnswerToSomeOtherQueryIsNotTaken() throws Exception {
    try (var liar = new FakeNameserver(answer -> {
      answer.getHeader().setID((answer.getHeader().getID() + 1) & 0xffff);
      return answer;
    })) {
      var upstream = Upstream.udp(List.of(liar.address()), SHORT);

      assertTrue(upstream.forward(DnsResponderTest.query("example.com.", Type.A).toWire()).isEmpty());
      assertEquals(1, liar.queries());
    }
  }

  @Test
  void withNoServerThatAnswersThereIsNoAnswer() throws Exception {
    try (var silent = new FakeNameserver(answer -> null)) {
      assertTrue(Upstream.udp(List.of(silent.address(), silent.address()), SHORT)
          .forward(DnsResponderTest.query("example.com.", Type.A).toWire()).isEmpty());
      assertEquals(2, silent.queries());
    }
    assertSame(Upstream.NONE, Upstream.udp(List.of()));
    assertTrue(Upstream.NONE.forward(DnsResponderTest.query("example.com.", Type.A).toWire()).isEmpty());
  }

  @Test
  void garbageIsNotSent() throws IOException {
    assertTrue(Upstream.udp(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), SHORT)
        .forward(new byte[] {1, 2}).isEmpty());
  }
}
