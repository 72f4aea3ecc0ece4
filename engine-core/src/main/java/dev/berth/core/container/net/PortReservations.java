package dev.berth.core.container.net;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import dev.berth.core.network.PortBinding;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the host ports a container publishes, bound for as long as it runs, as docker-proxy holds
 * them: a port in use fails the start with dockerd's message instead of silently shadowing, and
 * nothing else takes the port while the container has it. Traffic itself never reaches these
 * sockets; the portmap plugin's DNAT rules send it to the container first.
 */
final class PortReservations {

  private final Map<ContainerId, List<NetworkChannel>> held = new ConcurrentHashMap<>();

  /**
   * Binds every port; a host port of 0 gets a free ephemeral one.
   *
   * @return the bindings with their host ports
   * @throws InternalException (dockerd's 500) naming the port in use; nothing stays bound
   */
  List<PortBinding> reserve(ContainerId id, String endpoint, List<PortBinding> wanted) {
    var channels = new ArrayList<NetworkChannel>();
    var bound = new ArrayList<PortBinding>();
    try {
      for (PortBinding b : wanted) {
        String ip = b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
        NetworkChannel ch = bindFirstFree(b, ip, endpoint);
        channels.add(ch);
        bound.add(b.withHostPort(((InetSocketAddress) ch.getLocalAddress()).getPort()));
      }
    } catch (IOException | RuntimeException e) {
      closeAll(channels);
      throw e instanceof InternalException ie ? ie : new InternalException("publishing ports: " + e.getMessage(), e);
    }
    held.merge(id, channels, (a, b) -> {
      var all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    });
    return bound;
  }

  /** The binding's port, or the first free one of its range. */
  private static NetworkChannel bindFirstFree(PortBinding b, String ip, String endpoint) throws IOException {
    int last = b.hostPortEnd() == 0 ? b.hostPort() : b.hostPortEnd();
    for (int port = b.hostPort(); ; port++) {
      NetworkChannel ch = b.protocol().equals("udp") ? DatagramChannel.open() : ServerSocketChannel.open();
      try {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(new InetSocketAddress(ip, port));
        return ch;
      } catch (IOException e) {
        ch.close();
        if (port >= last) {
          String spec = ip + ":" + b.hostPortSpec();
          throw new InternalException("driver failed programming external connectivity on endpoint " + endpoint
              + ": failed to bind port " + spec + "/" + b.protocol() + ": Error starting userland proxy: listen "
              + b.protocol() + "4 " + spec + ": bind: address already in use", e);
        }
      }
    }
  }

  void release(ContainerId id) {
    List<NetworkChannel> channels = held.remove(id);
    if (channels != null) {
      closeAll(channels);
    }
  }

  private static void closeAll(List<? extends Closeable> channels) {
    for (Closeable c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        // the port is free either way
      }
    }
  }
}
