package dev.berth.core.network.dns;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;

/**
 * Forwards a query to each server in turn over a fresh connected socket. A fresh socket per query
 * gets a random source port, and connecting it means the kernel drops datagrams from anyone but
 * the server, which together with the ID check keeps spoofed answers out.
 *
 * <p>The socket is opened in the network namespace of the calling thread. berthd's DNS threads
 * run in the host's namespace, so a host resolver on loopback (systemd-resolved's 127.0.0.53)
 * is reachable, which it would not be from the container's.
 */
final class UdpUpstream implements Upstream {

  private static final System.Logger LOG = System.getLogger(UdpUpstream.class.getName());
  private static final int MAX_MESSAGE = 65_535;

  private final List<InetSocketAddress> servers;
  private final Duration timeout;

  UdpUpstream(List<InetSocketAddress> servers, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("upstream DNS timeout must be positive: " + timeout);
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
  }

  @Override
  public Optional<byte[]> forward(byte[] query) {
    int id;
    try {
      id = new Header(query).getID();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (InetSocketAddress server : servers) {
      try {
        Optional<byte[]> answer = ask(server, query, id);
        if (answer.isPresent()) {
          return answer;
        }
      } catch (IOException e) {
        // Port unreachable and the like: the server is down, which is what the next one is for.
        LOG.log(Level.DEBUG, "upstream DNS server {0} failed: {1}", server, e.toString());
      }
    }
    return Optional.empty();
  }

  private Optional<byte[]> ask(InetSocketAddress server, byte[] query, int id) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server);
      socket.send(new DatagramPacket(query, query.length));
      byte[] buf = new byte[MAX_MESSAGE];
      while (true) {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left <= 0) {
          return Optional.empty();
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          LOG.log(Level.DEBUG, "upstream DNS server {0} did not answer in {1}", server, timeout);
          return Optional.empty();
        }
        byte[] answer = Arrays.copyOf(buf, packet.getLength());
        if (answers(answer, id)) {
          return Optional.of(answer);
        }
        // A late answer to an earlier query that used the same port, or garbage: keep waiting.
      }
    }
  }

  private static boolean answers(byte[] message, int id) {
    try {
      Header header = new Header(message);
      return header.getID() == id && header.getFlag(Flags.QR);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "udp " + servers + " (" + timeout.toMillis() + " ms each)";
  }
}
