package dev.berth.core.network.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsResponderTest {

  private static final Inet4Address WEB1 = v4("172.18.0.2");
  private static final Inet4Address WEB2 = v4("172.18.0.3");
  private static final java.net.InetAddress DB6 = java.net.InetAddress.ofLiteral("fd12:3456:789a:1::3");

  private final List<String> asked = new ArrayList<>();
  private final NameLookup lookup = new NameLookup() {
    @Override
    public List<java.net.InetAddress> addresses(String name) {
      asked.add(name);
      return Map.<String, List<java.net.InetAddress>>of("web", List.of(WEB1, WEB2), "db.internal", List.of(WEB2, DB6))
          .getOrDefault(name, List.of());
    }

    @Override
    public Optional<String> name(Inet4Address address) {
      return address.equals(WEB1) ? Optional.of("web") : Optional.empty();
    }
  };

  /** Fails the test if anything reaches it: local names must never be forwarded. */
  private final AtomicInteger forwarded = new AtomicInteger();
  private final Upstream counting = query -> {
    forwarded.incrementAndGet();
    return Optional.empty();
  };

  @Test
  void aKnownNameIsAnsweredWithAllItsAddresses() throws IOException {
    Message query = query("web.", Type.A);
    Message response = respond(new DnsResponder(lookup, counting), query);

    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertTrue(response.getHeader().getFlag(Flags.RA));
    assertTrue(response.getHeader().getFlag(Flags.RD));
    assertEquals(query.getQuestion(), response.getQuestion());
    List<Record> answers = response.getSection(Section.ANSWER);
    assertEquals(List.of(WEB1, WEB2), answers.stream().map(r -> ((ARecord) r).getAddress()).toList());
    assertTrue(answers.stream().allMatch(r -> r.getTTL() == 600 && r.getName().equals(name("web."))));
    assertEquals(0, forwarded.get());
  }

  @Test
  void namesAreMatchedWithoutCaseOrTrailingDot() throws IOException {
    Message response = respond(new DnsResponder(lookup, counting), query("Db.INTERNAL.", Type.A));

    assertEquals(List.of("db.internal"), asked);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(1, response.getSection(Section.ANSWER).size());
    // The answer keeps the case the client asked with, as resolvers compare names that way.
    assertEquals("Db.INTERNAL.", response.getSection(Section.ANSWER).getFirst().getName().toString());
  }

  @Test
  void aaaaIsAnsweredWithTheIpv6AddressesAndAWithTheIpv4Ones() throws IOException {
    Message aaaa = respond(new DnsResponder(lookup, counting), query("db.internal.", Type.AAAA));
    assertEquals(List.of(DB6), aaaa.getSection(Section.ANSWER).stream()
        .map(r -> ((org.xbill.DNS.AAAARecord) r).getAddress()).toList());
    Message a = respond(new DnsResponder(lookup, counting), query("db.internal.", Type.A));
    assertEquals(List.of(WEB2), a.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress()).toList());
    assertEquals(0, forwarded.get());
  }

  @Test
  void otherTypesOfAKnownNameGetAnEmptyAnswerNotAForward() throws IOException {
    for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT}) {
      Message response = respond(new DnsResponder(lookup, counting), query("web.", type));

      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      assertEquals(type, response.getQuestion().getType());
    }
    assertEquals(0, forwarded.get());
  }

  @Test
  void aContainerAddressIsNamedByItsPtr() throws IOException {
    Message response = respond(new DnsResponder(lookup, counting), query(ReverseMap.fromAddress(WEB1), Type.PTR));

    assertEquals(Rcode.NOERROR, response.getRcode());
    List<Record> answers = response.getSection(Section.ANSWER);
    assertEquals(1, answers.size());
    assertEquals(name("web."), ((PTRRecord) answers.getFirst()).getTarget());
    assertEquals(name("2.0.18.172.in-addr.arpa."), answers.getFirst().getName());
    assertEquals(0, forwarded.get());
  }

  @Test
  void otherAddressesAndUnknownNamesGoUpstreamUnchanged() throws IOException {
    Message canned = query("example.com.", Type.A);
    canned.getHeader().setFlag(Flags.QR);
    canned.addRecord(new ARecord(name("example.com."), DClass.IN, 60, v4("192.0.2.7")), Section.ANSWER);
    List<byte[]> seen = new ArrayList<>();
    Upstream upstream = q -> {
      seen.add(q);
      return Optional.of(canned.toWire());
    };
    var responder = new DnsResponder(lookup, upstream);

    byte[] query = query("example.com.", Type.A).toWire();
    assertArrayEquals(canned.toWire(), responder.respond(query).orElseThrow());
    assertArrayEquals(query, seen.getFirst());

    byte[] ptr = query(ReverseMap.fromAddress(WEB2), Type.PTR).toWire();
    assertArrayEquals(canned.toWire(), responder.respond(ptr).orElseThrow());
    assertEquals(2, seen.size());
  }

  @Test
  void anUnknownNameWithNoUpstreamIsAServerFailure() throws IOException {
    Message query = query("example.com.", Type.A);
    Message response = respond(new DnsResponder(lookup, Upstream.NONE), query);

    assertEquals(Rcode.SERVFAIL, response.getRcode());
    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertEquals(query.getQuestion(), response.getQuestion());
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void failingLookupsAndUpstreamsAreServerFailuresNotExceptions() throws IOException {
    Upstream throwing = q -> {
      throw new IllegalStateException("upstream exploded");
    };
    assertEquals(Rcode.SERVFAIL,
        respond(new DnsResponder(lookup, throwing), query("example.com.", Type.A)).getRcode());

    NameLookup broken = name -> {
      throw new IllegalStateException("store exploded");
    };
    assertEquals(Rcode.SERVFAIL, respond(new DnsResponder(broken, counting), query("web.", Type.A)).getRcode());
  }

  @Test
  void malformedQueriesGetAFormatErrorOrNothing() throws IOException {
    var responder = new DnsResponder(lookup, counting);

    assertTrue(responder.respond(new byte[0]).isEmpty());
    assertTrue(responder.respond(new byte[] {1, 2, 3}).isEmpty());

    // A readable header that promises a question the packet does not hold.
    byte[] truncated = Arrays.copyOf(query("web.", Type.A).toWire(), 15);
    Message response = new Message(responder.respond(truncated).orElseThrow());
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertEquals(new Header(truncated).getID(), response.getHeader().getID());
    assertTrue(response.getHeader().getFlag(Flags.QR));

    // A query with no question at all.
    Message empty = new Message(4242);
    assertEquals(Rcode.FORMERR, new Message(responder.respond(empty.toWire()).orElseThrow()).getRcode());

    // Responses are never answered, or two resolvers could bounce one packet forever.
    Message answer = query("web.", Type.A);
    answer.getHeader().setFlag(Flags.QR);
    assertTrue(responder.respond(answer.toWire()).isEmpty());

    byte[] garbage = new byte[300];
    new Random(7).nextBytes(garbage);
    garbage[2] &= 0x7f;
    responder.respond(garbage);
    assertEquals(0, forwarded.get());
  }

  @Test
  void udpAnswersTooBigAreTruncatedAndTcpAnswersAreNot() throws IOException {
    List<Inet4Address> many = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      many.add(v4("10.0.0." + i));
    }
    var responder = new DnsResponder(name -> many, counting);
    byte[] query = query("big.", Type.A).toWire();

    Message overUdp = new Message(responder.respond(query).orElseThrow());
    assertTrue(overUdp.getHeader().getFlag(Flags.TC));
    Message overTcp = new Message(responder.respond(query, true).orElseThrow());
    assertFalse(overTcp.getHeader().getFlag(Flags.TC));
    assertEquals(60, overTcp.getSection(Section.ANSWER).size());

    // An EDNS client that accepts 4096 bytes gets everything over UDP, and an OPT back.
    Message edns = query("big.", Type.A);
    edns.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message big = new Message(responder.respond(edns.toWire()).orElseThrow());
    assertFalse(big.getHeader().getFlag(Flags.TC));
    assertEquals(60, big.getSection(Section.ANSWER).size());
    assertNotNull(big.getOPT());
  }

  static Message query(String name, int type) {
    return query(name(name), type);
  }

  static Message query(Name name, int type) {
    return Message.newQuery(Record.newRecord(name, type, DClass.IN));
  }

  private static Message respond(DnsResponder responder, Message query) throws IOException {
    return new Message(responder.respond(query.toWire()).orElseThrow());
  }

  static Name name(String name) {
    return Name.fromConstantString(name);
  }

  static Inet4Address v4(String literal) {
    try {
      return (Inet4Address) InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
