package dev.berth.core.network.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the engine knows about the names a container may resolve locally: the containers (by name,
 * alias and short id) on the networks it shares with them. Asked on every query, so it must be
 * cheap and thread-safe; the server never caches, so a container that leaves stops resolving at
 * once, as in dockerd.
 */
@FunctionalInterface
public interface NameLookup {

  /**
   * The addresses of {@code name} (lower-cased, no trailing dot) on this container's networks,
   * IPv4 and, on networks with IPv6, IPv6 ones; an empty list means it is not a local name and
   * the query goes to the upstream servers.
   */
  List<? extends InetAddress> addresses(String name);

  /**
   * The name to answer a PTR query for {@code address} with, when it belongs to a container on
   * this container's networks; empty sends the query upstream.
   */
  default Optional<String> name(Inet4Address address) {
    return Optional.empty();
  }
}
