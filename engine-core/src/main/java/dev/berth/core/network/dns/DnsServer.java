package dev.berth.core.network.dns;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.NetNamespaces;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The resolver a container on a user-defined network finds at 127.0.0.11:53, as dockerd runs one
 * per container. The sockets live in the container's network namespace; the threads serving them
 * do not, so forwarding reaches the host's resolvers even when they listen on the host's loopback.
 *
 * <p>Each query is answered on a virtual thread of its own, so a container name never waits behind
 * an upstream server that is slow to answer someone else's.
 */
public final class DnsServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DnsServer.class.getName());

  /** Where containers' resolv.conf points, dockerd's address. */
  public static final InetSocketAddress ADDRESS = new InetSocketAddress(embeddedAddress(), 53);

  /** dockerd's bound on queries in flight; beyond it a flood is dropped and clients retry. */
  private static final int MAX_IN_FLIGHT = 100;

  /** RFC 7766 asks servers to drop idle TCP clients after seconds, not keep threads forever. */
  private static final Duration TCP_IDLE = Duration.ofSeconds(10);

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final DatagramChannel udp;
  private final Optional<ServerSocketChannel> tcp;
  private final DnsResponder responder;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final Thread udpThread;
  private final Optional<Thread> tcpThread;
  private volatile boolean closed;

  private DnsServer(DatagramChannel udp, Optional<ServerSocketChannel> tcp, DnsResponder responder) {
    // The serving threads block on the channels; a non-blocking one would have them spin.
    if (!udp.isBlocking() || !tcp.map(ServerSocketChannel::isBlocking).orElse(true)) {
      throw new IllegalArgumentException("DNS channels must be in blocking mode");
    }
    this.udp = udp;
    this.tcp = tcp;
    this.responder = responder;
    this.udpThread = Thread.ofVirtual().name("berth-dns-udp").unstarted(this::serveUdp);
    this.tcpThread = tcp.map(t -> Thread.ofVirtual().name("berth-dns-tcp").unstarted(() -> serveTcp(t)));
  }

  /**
   * Serves queries arriving on {@code udp}, already bound (in whichever namespace), until closed.
   * Must not be called from inside {@link NetNamespaces#call}: a thread is born in its creator's
   * namespace, so a virtual thread's carrier started from there would stay in the container's.
   */
  public static DnsServer serve(DatagramChannel udp, DnsResponder responder) {
    return start(new DnsServer(udp, Optional.empty(), responder));
  }

  /** As {@link #serve(DatagramChannel, DnsResponder)}, and over TCP for answers too big for UDP. */
  public static DnsServer serve(DatagramChannel udp, ServerSocketChannel tcp, DnsResponder responder) {
    return start(new DnsServer(udp, Optional.of(tcp), responder));
  }

  /**
   * Listens on 127.0.0.11:53, UDP and TCP, inside the network namespace pinned at
   * {@code netnsFile} and serves until closed.
   */
  public static DnsServer openIn(Path netnsFile, NameLookup lookup, Upstream upstream) {
    record Bound(DatagramChannel udp, ServerSocketChannel tcp) {}
    Bound bound;
    try {
      // Only the binding happens in the namespace; serving threads are started out here.
      bound = NetNamespaces.call(netnsFile, () -> {
        DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
          udp.bind(ADDRESS);
          ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
          try {
            tcp.bind(ADDRESS);
            return new Bound(udp, tcp);
          } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
          }
        } catch (IOException | RuntimeException e) {
          udp.close();
          throw e;
        }
      });
    } catch (UncheckedIOException e) {
      throw new InternalException("cannot listen for DNS on " + ADDRESS + " in " + netnsFile + ": "
          + e.getCause().getMessage(), e);
    }
    return serve(bound.udp(), bound.tcp(), new DnsResponder(lookup, upstream));
  }

  private static DnsServer start(DnsServer server) {
    server.udpThread.start();
    server.tcpThread.ifPresent(Thread::start);
    return server;
  }

  /** Where UDP queries are served. */
  public InetSocketAddress udpAddress() {
    return localAddress(udp);
  }

  /** Where TCP queries are served, when they are. */
  public Optional<InetSocketAddress> tcpAddress() {
    return tcp.map(DnsServer::localAddress);
  }

  private void serveUdp() {
    ByteBuffer buf = ByteBuffer.allocate(DnsResponder.TCP_MAX);
    while (!closed) {
      SocketAddress client;
      buf.clear();
      try {
        client = udp.receive(buf);
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        if (closed || !udp.isOpen()) {
          break;
        }
        LOG.log(Level.WARNING, "DNS receive on {0} failed: {1}", udp, e.toString());
        continue;
      }
      byte[] query = Arrays.copyOf(buf.array(), buf.position());
      if (!inFlight.tryAcquire()) {
        LOG.log(Level.DEBUG, "dropping a DNS query from {0}: too many in flight", client);
        continue;
      }
      Thread.ofVirtual().name("berth-dns-query").start(() -> {
        try {
          responder.respond(query).ifPresent(response -> reply(client, response));
        } finally {
          inFlight.release();
        }
      });
    }
  }

  private void reply(SocketAddress client, byte[] response) {
    try {
      udp.send(ByteBuffer.wrap(response), client);
    } catch (ClosedChannelException e) {
      // Closed while the answer was on its way: the container is gone, nobody is listening.
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot send a DNS answer to {0}: {1}", client, e.toString());
    }
  }

  private void serveTcp(ServerSocketChannel server) {
    while (!closed) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        if (closed || !server.isOpen()) {
          break;
        }
        LOG.log(Level.WARNING, "DNS accept on {0} failed: {1}", server, e.toString());
        continue;
      }
      connections.add(connection);
      if (closed) {
        // close() may have emptied the set before this one was added.
        closeQuietly(connection);
        break;
      }
      Thread.ofVirtual().name("berth-dns-tcp-conn").start(() -> serveConnection(connection));
    }
  }

  /** RFC 1035 4.2.2: each message is preceded by its length; a client may send several. */
  private void serveConnection(SocketChannel connection) {
    try {
      Socket socket = connection.socket();
      socket.setSoTimeout((int) TCP_IDLE.toMillis());
      var in = new DataInputStream(socket.getInputStream());
      var out = new DataOutputStream(socket.getOutputStream());
      while (!closed) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException | SocketTimeoutException e) {
          return;
        }
        byte[] query = in.readNBytes(length);
        if (query.length < length) {
          return;
        }
        Optional<byte[]> response = responder.respond(query, true);
        if (response.isEmpty()) {
          return;
        }
        out.writeShort(response.get().length);
        out.write(response.get());
        out.flush();
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.log(Level.DEBUG, "DNS over TCP connection ended: {0}", e.toString());
      }
    } finally {
      connections.remove(connection);
      closeQuietly(connection);
    }
  }

  /** Stops serving: the sockets close, which ends the threads blocked on them. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(udp);
    tcp.ifPresent(DnsServer::closeQuietly);
    for (SocketChannel connection : connections) {
      closeQuietly(connection);
    }
    try {
      udpThread.join(CLOSE_WAIT);
      if (tcpThread.isPresent()) {
        tcpThread.get().join(CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a serving thread is still running; false soon after {@link #close()}. */
  public boolean isServing() {
    return udpThread.isAlive() || tcpThread.map(Thread::isAlive).orElse(false);
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing a DNS socket: {0}", e.toString());
    }
  }

  private static InetSocketAddress localAddress(NetworkChannel channel) {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InetAddress embeddedAddress() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 11});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
