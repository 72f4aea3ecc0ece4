package dev.berth.core.network.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where queries for names that are not containers' go: the nameservers of the host's resolv.conf,
 * as dockerd's embedded resolver forwards to them.
 */
@FunctionalInterface
public interface Upstream {

  /** No upstream servers: every non-local name fails with SERVFAIL. */
  Upstream NONE = query -> Optional.empty();

  /** How long one server gets to answer before the next is tried; glibc's default wait is 5 s. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The answer of the first server to respond to {@code query} (raw DNS wire bytes, passed on
   * unchanged), or empty when none did.
   */
  Optional<byte[]> forward(byte[] query);

  /** Forwards over UDP to {@code servers} in order, each given {@link #DEFAULT_TIMEOUT}. */
  static Upstream udp(List<InetSocketAddress> servers) {
    return udp(servers, DEFAULT_TIMEOUT);
  }

  /** Forwards over UDP to {@code servers} in order, each given {@code timeoutPerServer}. */
  static Upstream udp(List<InetSocketAddress> servers, Duration timeoutPerServer) {
    return servers.isEmpty() ? NONE : new UdpUpstream(servers, timeoutPerServer);
  }
}
