package dev.berth.core.container.net;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.dns.NameLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one container's embedded resolver answers: the names, aliases and short IDs of running
 * containers that share a user-defined network with it, read from the records on each query so
 * a container that leaves stops resolving at once.
 */
final class ContainerNameLookup implements NameLookup {

  private final ContainerRepository repository;
  private final ContainerId self;
  private final Predicate<NetworkId> resolvesNames;

  ContainerNameLookup(ContainerRepository repository, ContainerId self, Predicate<NetworkId> resolvesNames) {
    this.repository = repository;
    this.self = self;
    this.resolvesNames = resolvesNames;
  }

  @Override
  public List<InetAddress> addresses(String name) {
    var out = new ArrayList<InetAddress>();
    for (var peer : peers()) {
      if (peer.names().contains(name)) {
        out.add(peer.address());
        peer.address6().ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public Optional<String> name(Inet4Address address) {
    return peers().stream().filter(p -> p.address().equals(address)).map(Peer::canonical).findFirst();
  }

  private record Peer(String canonical, Set<String> names, Inet4Address address, Optional<InetAddress> address6) {}

  private List<Peer> peers() {
    Container me = repository.find(self).orElse(null);
    if (me == null) {
      return List.of();
    }
    Set<NetworkId> shared = me.networking().endpoints().values().stream().map(Endpoint::networkId)
        .filter(resolvesNames).collect(Collectors.toSet());
    // My links on each network: the alias names the linked container, for me alone.
    var myLinks = new java.util.HashMap<NetworkId, List<ContainerLink>>();
    for (Endpoint e : me.networking().endpoints().values()) {
      myLinks.put(e.networkId(), e.links().stream().map(ContainerLink::parse).toList());
    }
    var out = new ArrayList<Peer>();
    for (Container c : repository.list()) {
      if (!c.state().isRunning()) {
        continue;
      }
      for (Endpoint e : c.networking().endpoints().values()) {
        if (e.attached() == null || !shared.contains(e.networkId()) || e.attached().ipAddress().isEmpty()) {
          continue;
        }
        var names = new java.util.HashSet<String>();
        names.add(c.name().value().toLowerCase(Locale.ROOT));
        names.add(c.id().shortId());
        e.aliases().forEach(a -> names.add(a.toLowerCase(Locale.ROOT)));
        for (ContainerLink l : myLinks.getOrDefault(e.networkId(), List.of())) {
          String target = l.container().startsWith("/") ? l.container().substring(1) : l.container();
          if (target.equals(c.name().value()) || c.id().hex().startsWith(target)) {
            names.add(l.alias().toLowerCase(Locale.ROOT));
          }
        }
        String v6 = e.attached().ipv6Address();
        out.add(new Peer(c.name().value(), names, ipv4(e.attached().ipAddress()),
            v6.isEmpty() ? Optional.empty() : Optional.of(InetAddress.ofLiteral(v6))));
      }
    }
    return out;
  }

  private static Inet4Address ipv4(String dotted) {
    try {
      return (Inet4Address) InetAddress.getByName(dotted);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + dotted, e);
    }
  }
}
