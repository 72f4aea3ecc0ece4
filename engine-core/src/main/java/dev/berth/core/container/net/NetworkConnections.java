package dev.berth.core.container.net;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.ForbiddenException;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkService;
import dev.berth.core.network.Networking;
import java.util.List;
import java.util.Map;

/** {@code docker network connect} and {@code disconnect}: live for running containers, recorded for others. */
public final class NetworkConnections {

  private final ContainerLookup containers;
  private final ContainerRepository repository;
  private final ContainerNetwork network;
  private final NetworkService networks;
  private final ContainerLocks locks;

  public NetworkConnections(ContainerLookup containers, ContainerRepository repository, ContainerNetwork network,
      NetworkService networks, ContainerLocks locks) {
    this.containers = containers;
    this.repository = repository;
    this.network = network;
    this.networks = networks;
    this.locks = locks;
  }

  /**
   * Joins a network now if the container runs, else at its next start.
   *
   * @throws ForbiddenException if it is already on the network, or its network mode allows no other
   */
  public void connect(String networkRef, String ref, List<String> aliases, String ipv4) {
    connect(networkRef, ref, aliases, ipv4, "", List.of());
  }

  /**
   * As {@link #connect(String, String, List, String)}, with the endpoint's MAC address and its
   * links ({@code docker network connect --link}).
   */
  public void connect(String networkRef, String ref, List<String> aliases, String ipv4, String mac,
      List<String> links) {
    connect(networkRef, ref, new Endpoint(null, aliases, ipv4, null, mac, links));
  }

  /**
   * As {@link #connect(String, String, List, String)}, with everything an endpoint request may
   * ask for ({@code docker network connect --ip6 --link-local-ip ...}).
   */
  public void connect(String networkRef, String ref, Endpoint wanted) {
    Network net = networks.find(networkRef);
    ContainerId id = containers.find(ref).id();
    locks.run(id, () -> {
      Container c = current(id);
      if (c.hostConfig().network().sharesNamespace() || !net.isBridge()) {
        throw new ForbiddenException("container sharing network namespace with another container or host cannot be "
            + "connected to any other network");
      }
      if (c.networking().endpoints().containsKey(net.name())) {
        throw new ForbiddenException("endpoint with name " + c.name().value() + " already exists in network "
            + net.name());
      }
      var requested = new Networking(Map.of(net.name(), new Endpoint(net.id(), wanted.aliases(),
          wanted.ipv4Request(), null, wanted.macRequest(), wanted.links(), wanted.ipv6Request(),
          wanted.linkLocalIps())), List.of(), false, List.of());
      Endpoint e = network.resolve(c.hostConfig().withNetworkMode(net.name()), requested).endpoints().get(net.name());
      if (c.state().isRunning()) {
        e = network.connect(c, net, e);
      }
      repository.update(c.withNetworking(c.networking().withEndpoint(net.name(), e)));
      network.announce(c, net, "connect");
    });
  }

  /** Leaves a network now if the container runs. */
  public void disconnect(String networkRef, String ref) {
    Network net = networks.find(networkRef);
    ContainerId id = containers.find(ref).id();
    locks.run(id, () -> {
      Container c = current(id);
      Endpoint e = c.networking().endpoints().get(net.name());
      if (e == null) {
        throw new ForbiddenException("container " + c.id().hex() + " is not connected to network " + net.name());
      }
      if (c.state().isRunning()) {
        network.disconnect(c, net, e);
      }
      repository.update(c.withNetworking(c.networking().withoutEndpoint(net.name())));
      network.announce(c, net, "disconnect");
    });
  }

  private Container current(ContainerId id) {
    return repository.find(id).orElseThrow(() -> new ConflictException("container " + id + " was removed"));
  }
}
