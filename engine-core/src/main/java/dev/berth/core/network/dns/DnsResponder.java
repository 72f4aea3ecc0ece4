package dev.berth.core.network.dns;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers one query the way dockerd's embedded resolver does: container names from the engine,
 * everything else from the upstream servers. Pure apart from the upstream call; never throws,
 * because one bad packet must not end the server that serves a container's every lookup.
 */
public final class DnsResponder {

  private static final System.Logger LOG = System.getLogger(DnsResponder.class.getName());

  /** dockerd's TTL for container records; containers come and go, so resolvers must re-ask. */
  static final long TTL = 600;

  /** Plain DNS over UDP; larger answers are truncated so the client retries over TCP. */
  static final int UDP_MIN = 512;

  /** What an EDNS client may get over UDP: larger datagrams fragment, and fragments get lost. */
  static final int UDP_MAX = 4096;

  /** A TCP message's length prefix is 16 bits. */
  static final int TCP_MAX = 65_535;

  private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");

  /** An IPv4 reverse name is its four octets, in-addr, arpa and the root label. */
  private static final int IPV4_REVERSE_LABELS = 7;

  private final NameLookup lookup;
  private final Upstream upstream;

  public DnsResponder(NameLookup lookup, Upstream upstream) {
    this.lookup = lookup;
    this.upstream = upstream;
  }

  /** The response to a query that came over UDP, or empty when it deserves none. */
  public Optional<byte[]> respond(byte[] query) {
    return respond(query, false);
  }

  /**
   * The response to {@code query}, or empty when it deserves none: it is not a DNS query at all,
   * or it is a response (answering those lets two resolvers ping-pong forever).
   */
  public Optional<byte[]> respond(byte[] query, boolean overTcp) {
    try {
      return answer(query, overTcp);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot answer a DNS query", e);
      return Optional.empty();
    }
  }

  private Optional<byte[]> answer(byte[] query, boolean overTcp) {
    Message request;
    try {
      request = new Message(query);
    } catch (IOException e) {
      return formatError(query);
    }
    Header header = request.getHeader();
    if (header.getFlag(Flags.QR)) {
      return Optional.empty();
    }
    int maxLength = overTcp ? TCP_MAX : udpLimit(request);
    if (header.getOpcode() != Opcode.QUERY) {
      return Optional.of(reply(request, Rcode.NOTIMP).toWire(maxLength));
    }
    Record question = request.getQuestion();
    if (question == null || header.getCount(Section.QUESTION) != 1) {
      return Optional.of(reply(request, Rcode.FORMERR).toWire(maxLength));
    }
    Optional<Message> local;
    try {
      local = local(request, question);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "container name lookup failed for " + question.getName(), e);
      return Optional.of(reply(request, Rcode.SERVFAIL).toWire(maxLength));
    }
    if (local.isPresent()) {
      return Optional.of(local.get().toWire(maxLength));
    }
    Optional<byte[]> forwarded;
    try {
      forwarded = upstream.forward(query);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "forwarding a DNS query for " + question.getName() + " failed", e);
      forwarded = Optional.empty();
    }
    return Optional.of(forwarded.orElseGet(() -> reply(request, Rcode.SERVFAIL).toWire(maxLength)));
  }

  /** The answer from the engine's own names, or empty when the question is not about them. */
  private Optional<Message> local(Message request, Record question) {
    if (question.getDClass() != DClass.IN) {
      return Optional.empty();
    }
    Name name = question.getName();
    if (question.getType() == Type.PTR) {
      return reverse(name).flatMap(lookup::name).map(target -> {
        Message response = authoritative(request);
        response.addRecord(new PTRRecord(name, DClass.IN, TTL, absolute(target)), Section.ANSWER);
        return response;
      });
    }
    if (name.labels() < 2) {
      return Optional.empty();
    }
    List<? extends InetAddress> addresses = lookup.addresses(name.toString(true).toLowerCase(Locale.ROOT));
    if (addresses == null || addresses.isEmpty()) {
      return Optional.empty();
    }
    Message response = authoritative(request);
    // A and AAAA get the addresses of their family; every other type, and AAAA for a container
    // without IPv6, an empty NOERROR: NXDOMAIN or a forward would make clients that ask A and
    // AAAA together distrust or bypass the A answer.
    for (InetAddress address : addresses) {
      if (question.getType() == Type.A && address instanceof Inet4Address v4) {
        response.addRecord(new ARecord(name, DClass.IN, TTL, v4), Section.ANSWER);
      } else if (question.getType() == Type.AAAA && address instanceof java.net.Inet6Address v6) {
        response.addRecord(new AAAARecord(name, DClass.IN, TTL, v6), Section.ANSWER);
      }
    }
    return Optional.of(response);
  }

  private static Optional<Inet4Address> reverse(Name name) {
    if (name.labels() != IPV4_REVERSE_LABELS || !name.subdomain(IN_ADDR_ARPA)) {
      return Optional.empty();
    }
    try {
      return ReverseMap.fromName(name) instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  /** Counts nothing but the header, so a query too broken to parse still gets a FORMERR. */
  private static Optional<byte[]> formatError(byte[] query) {
    Header header;
    try {
      header = new Header(query);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (header.getFlag(Flags.QR)) {
      return Optional.empty();
    }
    return Optional.of(responseTo(header, Rcode.FORMERR).toWire());
  }

  private static Message authoritative(Message request) {
    Message response = reply(request, Rcode.NOERROR);
    response.getHeader().setFlag(Flags.AA);
    return response;
  }

  /** A response echoing the question and ID, recursion available as from any resolver. */
  private static Message reply(Message request, int rcode) {
    Message response = responseTo(request.getHeader(), rcode);
    Record question = request.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    if (request.getOPT() != null) {
      // RFC 6891: a responder that understands EDNS says so, with the payload it accepts.
      response.addRecord(new OPTRecord(UDP_MAX, 0, 0), Section.ADDITIONAL);
    }
    return response;
  }

  /** An empty response to a query with header {@code in}: same ID and opcode, RD echoed. */
  private static Message responseTo(Header in, int rcode) {
    Message response = new Message(in.getID());
    Header out = response.getHeader();
    out.setFlag(Flags.QR);
    out.setFlag(Flags.RA);
    out.setOpcode(in.getOpcode());
    if (in.getFlag(Flags.RD)) {
      out.setFlag(Flags.RD);
    }
    out.setRcode(rcode);
    return response;
  }

  private static int udpLimit(Message request) {
    OPTRecord opt = request.getOPT();
    return opt == null ? UDP_MIN : Math.max(UDP_MIN, Math.min(opt.getPayloadSize(), UDP_MAX));
  }
}
