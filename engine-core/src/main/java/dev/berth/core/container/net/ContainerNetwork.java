package dev.berth.core.container.net;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.fs.ContainerDir;
import dev.berth.core.container.fs.ContainerFiles;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.network.BridgeOptions;
import dev.berth.core.network.BridgeRules;
import dev.berth.core.network.Cni;
import dev.berth.core.network.CniConfig;
import dev.berth.core.network.CniResult;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.ExposedPort;
import dev.berth.core.network.ExtraHost;
import dev.berth.core.network.Ipv6Subnet;
import dev.berth.core.network.LinkLocalIps;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkMode;
import dev.berth.core.network.NetworkService;
import dev.berth.core.network.Networking;
import dev.berth.core.network.PortBinding;
import dev.berth.core.network.Subnet;
import dev.berth.core.network.dns.DnsServer;
import dev.berth.core.network.dns.Upstream;
import dev.berth.core.os.NetNamespaces;
import dev.berth.core.runtime.NetworkNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A container's network while it runs: a namespace pinned under the exec root, an interface per
 * network through the CNI bridge, host-local, portmap and firewall plugins, and its published ports
 * held. Set-up undoes itself on failure and tear-down is idempotent, so a crash at any point is
 * mended by tearing down again.
 */
public final class ContainerNetwork {

  private static final System.Logger LOG = System.getLogger(ContainerNetwork.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EnginePaths paths;
  private final NetworkService networks;
  private final Cni cni;
  private final PortReservations ports = new PortReservations();
  private final Map<ContainerId, DnsServer> resolvers = new ConcurrentHashMap<>();
  /** The rest of each CNI chain, running while the container is created. */
  private final Map<ContainerId, List<CompletableFuture<CniResult>>> finishing =
      new ConcurrentHashMap<>();
  private final ContainerRepository repository;
  private final ContainerLookup containers;
  private final CniConfig cniConfig;
  /** Rewrites resolv.conf when a running container first joins a network whose names berth serves. */
  private final ContainerFiles files;
  private final ContainerEvents events;
  private final ContainerLinks links;

  public ContainerNetwork(EnginePaths paths, NetworkService networks, Cni cni, ContainerRepository repository,
      ContainerFiles files, boolean ipMasq, ContainerEvents events) {
    this.events = events;
    this.paths = paths;
    this.networks = networks;
    this.cni = cni;
    this.repository = repository;
    this.containers = new ContainerLookup(repository);
    this.files = files;
    this.cniConfig = new CniConfig(paths.leases(), ipMasq);
    this.links = new ContainerLinks(repository);
  }

  /** Legacy links on the default bridge. */
  public ContainerLinks links() {
    return links;
  }

  /** The namespace the runtime puts the container in. */
  public NetworkNamespace namespace(Container c) {
    return switch (c.hostConfig().network()) {
      case NetworkMode.Host h -> NetworkNamespace.HOST;
      case NetworkMode.Container shared -> {
        Container other = containers.find(shared.ref());
        if (!other.state().isRunning()) {
          throw new ConflictException("cannot join network namespace of a non running container: " + other.id().hex());
        }
        yield NetworkNamespace.join(netns(other));
      }
      default -> NetworkNamespace.join(netns(c));
    };
  }

  /** Whether berth answers names inside it: it is on a user-defined network. */
  public boolean servesNames(Container c) {
    return ownsNamespace(c) && c.networking().endpoints().values().stream()
        .anyMatch(e -> networks.get(e.networkId()).map(Network::resolvesNames).orElse(false));
  }

  /**
   * Resolves the networks a create request names, adding the network mode's own, keyed by
   * network name as dockerd keys them.
   *
   * @throws InvalidArgumentException {@code network X not found}, or an extra host dockerd's
   *     {@code ValidateExtraHost} refuses
   */
  public Networking resolve(HostConfig hc, Networking requested) {
    hc.extraHosts().forEach(ExtraHost::parse);
    Optional<String> joined = hc.network().network();
    if (joined.isEmpty()) {
      if (!requested.portBindings().isEmpty() || requested.publishAll()) {
        throw new ConflictException("conflicting options: port publishing and the container type network mode");
      }
      return new Networking(Map.of(), List.of(), false, List.of());
    }
    String modeNetwork = joined.get();
    var endpoints = new LinkedHashMap<String, Endpoint>();
    var wanted = new LinkedHashMap<String, Endpoint>();
    // The CLI names the default network "default" in EndpointsConfig as in NetworkMode.
    var given = new LinkedHashMap<String, Endpoint>();
    requested.endpoints().forEach((k, v) -> given.put(k.equals("default") ? Network.DEFAULT_BRIDGE : k, v));
    Endpoint own = given.get(modeNetwork);
    wanted.put(modeNetwork, own == null ? new Endpoint(null, List.of(), "", null) : own);
    given.forEach(wanted::putIfAbsent);
    for (var w : wanted.entrySet()) {
      // A 404 from create makes the CLI pull the image; say it as a bad request instead.
      Network net = networks.findOptional(w.getKey()).orElseThrow(() -> new InvalidArgumentException(
          "network " + w.getKey() + " not found"));
      Endpoint e = w.getValue().withCheckedAddresses();
      if (!net.resolvesNames() && !e.aliases().isEmpty()) {
        throw new InvalidArgumentException(
            "network-scoped alias is supported only for containers in user defined networks");
      }
      if (!net.resolvesNames() && (!e.ipv4Request().isEmpty() || !e.ipv6Request().isEmpty())) {
        throw new InvalidArgumentException(
            "user specified IP address is supported on user defined networks only");
      }
      if (!e.ipv4Request().isEmpty() && !net.subnet().contains(Subnet.address(e.ipv4Request()))) {
        throw new InvalidArgumentException("no configured subnet or ip-range contain the IP "
            + "address " + e.ipv4Request());
      }
      if (!e.ipv6Request().isEmpty() && net.ipv6Pool().map(p -> !Ipv6Subnet.parse(p.subnet())
          .contains(Ipv6Subnet.address(e.ipv6Request()))).orElse(true)) {
        throw new InvalidArgumentException("no configured subnet or ip-range contain the IP "
            + "address " + e.ipv6Request());
      }
      if (!e.linkLocalIps().isEmpty() && !net.isBridge()) {
        throw new InvalidArgumentException("conflicting options: link-local IP addresses and the network mode");
      }
      if ((net.driver().equals("host") || net.driver().equals("null")) && wanted.size() > 1) {
        throw new InvalidArgumentException("container cannot be disconnected from host network "
            + "or connected to host network");
      }
      for (String link : e.links()) {
        ContainerLink.parse(link);
        if (!net.resolvesNames()) {
          throw new InvalidArgumentException("links are only supported for user-defined networks");
        }
      }
      endpoints.put(net.name(), new Endpoint(net.id(), e.aliases(), e.ipv4Request(), null, mac(w.getKey(), net, e),
          e.links(), e.ipv6Request(), e.linkLocalIps()));
    }
    if (modeNetwork.equals(Network.HOST) && (!requested.portBindings().isEmpty())) {
      // dockerd drops published ports in host mode with a warning; there is nothing to map.
      return new Networking(endpoints, List.of(), false, List.of());
    }
    return new Networking(endpoints, requested.portBindings(), requested.publishAll(), List.of());
  }

  /**
   * The endpoint's requested MAC address in the kernel's form.
   *
   * @throws InvalidArgumentException for what Go's net.ParseMAC refuses, as dockerd's
   *     validateNetworkingConfig words it, and for a network without interfaces of its own
   */
  private static String mac(String key, Network net, Endpoint e) {
    if (e.macRequest().isEmpty()) {
      return "";
    }
    String mac = Endpoint.normalMac(e.macRequest());
    if (mac.isEmpty()) {
      throw new InvalidArgumentException("invalid config for network " + key + ": invalid MAC address "
          + e.macRequest());
    }
    if (!net.isBridge()) {
      throw new InvalidArgumentException("conflicting options: mac-address and the network mode");
    }
    return mac;
  }

  /** Whether the container has a namespace of its own to set up. */
  static boolean ownsNamespace(Container c) {
    return c.hostConfig().network().ownsNamespace();
  }

  Path netns(Container c) {
    return paths.netns(c.id().hex());
  }

  /**
   * Sets a starting container's network up: the namespace is made, the networks found and the
   * ports published before this returns (what fails there is undone and thrown here); the networks
   * are joined on a thread of their own (the rules and the CNI plugins, ~10 ms), while the caller
   * has the runtime create the container in the namespace. The future completes with the
   * container's networking, its attachments and host ports, or with what failed, undone.
   */
  public CompletableFuture<Networking> beginSetUp(Container c) {
    if (!ownsNamespace(c)) {
      return CompletableFuture.completedFuture(c.networking());
    }
    NetNamespaces.create(netns(c));
    Plan plan = planned(c);
    if (plan.bridges().isEmpty()) {
      return CompletableFuture.completedFuture(attachAll(c, plan)); // nothing to join (none mode)
    }
    var joined = new CompletableFuture<Networking>();
    Thread.ofVirtual().name("berth-network-setup").start(() -> {
      try {
        joined.complete(attachAll(c, plan));
      } catch (Throwable t) {
        joined.completeExceptionally(t);
      }
    });
    return joined;
  }

  /** The bridge networks a start joins, by name, and the ports it publishes (on the first). */
  private record Plan(Map<String, Network> bridges, List<PortBinding> published) {}

  /** The networks of a container whose namespace exists, found, and its ports reserved; undone if that fails. */
  private Plan planned(Container c) {
    try {
      var bridges = new LinkedHashMap<String, Network>();
      for (var entry : c.networking().endpoints().entrySet()) {
        // A network removed while the container was stopped: dockerd's start fails the same way.
        Network net = networks.get(entry.getValue().networkId()).orElseThrow(() ->
            new NotFoundException("network " + entry.getKey() + " not found"));
        if (net.isBridge()) {
          bridges.put(entry.getKey(), net);
        }
      }
      // Ports are published on the first network only; with none (none mode) there is nothing to map.
      List<PortBinding> published = bridges.isEmpty() ? List.of()
          : publishedPorts(c, bridges.values().iterator().next());
      return new Plan(bridges, published);
    } catch (RuntimeException e) {
      try {
        tearDown(c);
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  /** Joins the planned networks and starts the resolver; undone if that fails. */
  private Networking attachAll(Container c, Plan plan) {
    Networking n = c.networking();
    try {
      int index = 0;
      for (var entry : plan.bridges().entrySet()) {
        Endpoint attached = attach(c, entry.getValue(), c.networking().endpoints().get(entry.getKey()),
            "eth" + index, index == 0 ? plan.published() : List.of());
        n = n.withEndpoint(entry.getKey(), attached);
        index++;
      }
      Networking done = n.withPublished(plan.published());
      if (servesNames(c)) {
        serveNames(c);
      }
      return done;
    } catch (RuntimeException e) {
      try {
        tearDown(c.withNetworking(n));
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  private List<PortBinding> publishedPorts(Container c, Network first) {
    var wanted = new ArrayList<PortBinding>();
    // A binding without an address takes the network's host_binding_ipv4, as libnetwork's.
    String defaultIp = BridgeOptions.hostBindingIpv4(first);
    for (PortBinding b : c.networking().portBindings()) {
      wanted.add(b.hostIp().isEmpty() && !defaultIp.isEmpty()
          ? new PortBinding(b.containerPort(), b.protocol(), defaultIp, b.hostPort(), b.hostPortEnd()) : b);
    }
    if (c.networking().publishAll()) {
      for (String spec : c.config().exposedPorts()) {
        ExposedPort exposed = ExposedPort.parse(spec);
        if (wanted.stream().noneMatch(exposed::isPublishedBy)) {
          wanted.add(new PortBinding(exposed.port(), exposed.protocol(), defaultIp, 0));
        }
      }
    }
    return wanted.isEmpty() ? List.of() : ports.reserve(c.id(), c.name().value(), wanted);
  }

  /**
   * Waits for the host-side rules of every attachment {@link #beginSetUp} began: call before the
   * container's process starts.
   *
   * @throws InternalException if a plugin failed (the attachment is already undone)
   */
  public void ready(ContainerId id) {
    List<CompletableFuture<CniResult>> pending = finishing.remove(id);
    if (pending == null) {
      return;
    }
    for (var f : pending) {
      try {
        f.join();
      } catch (CompletionException ex) {
        Throwable cause = ex.getCause();
        throw cause instanceof RuntimeException r ? r : new InternalException(cause.getMessage(), cause);
      }
    }
  }

  /**
   * Joins one more network; the container's namespace must exist (it runs). The first network
   * whose names berth serves also starts its resolver and points /etc/resolv.conf at it.
   */
  Endpoint connect(Container c, Network net, Endpoint e) {
    var used = c.networking().endpoints().values().stream().filter(x -> x.attached() != null)
        .map(x -> x.attached().ifName()).toList();
    int index = 0;
    while (used.contains("eth" + index)) {
      index++;
    }
    Endpoint attached = attach(c, net, e, "eth" + index, List.of());
    ready(c.id());
    if (net.resolvesNames() && !resolvers.containsKey(c.id())) {
      // Its first user-defined network: from now on berth answers names inside it, as dockerd's
      // resolver starts when the first endpoint that needs it joins.
      serveNames(c);
      files.useEmbeddedDns(paths.container(c.id().hex()), c);
    }
    return attached;
  }

  /** Leaves one network; the interface goes, the rest stays. */
  void disconnect(Container c, Network net, Endpoint e) {
    if (e.attached() != null) {
      cni.delete(attachment(c, net, e, e.attached().ifName(), List.of()));
    }
  }

  private Endpoint attach(Container c, Network net, Endpoint e, String ifName, List<PortBinding> published) {
    // Before the container's process starts: it never runs without the bridge's isolation.
    BridgeRules.ensure(net.bridge(), Subnet.parse(net.ipv4Pool().subnet()).toString(),
        net.ipv6Pool().map(p -> Ipv6Subnet.parse(p.subnet()).toString()).orElse(null), BridgeOptions.icc(net),
        cniConfig.masquerades(net), net.internal());
    Cni.Added added = cni.add(attachment(c, net, e, ifName, published));
    finishing.computeIfAbsent(c.id(), k -> new CopyOnWriteArrayList<>()).add(added.complete());
    CniResult result = added.result();
    String mac = result.sandboxInterface(ifName).map(CniResult.Interface::mac).orElse("");
    var none = new CniResult.Ip("", 0, "", Optional.empty());
    CniResult.Ip ip = result.firstIp().orElse(none);
    CniResult.Ip ip6 = result.firstIpv6().orElse(none);
    try {
      if (net.ipv6Pool().isEmpty() && e.linkLocalIps().stream().noneMatch(Ipv6Subnet::isIpv6)) {
        // As dockerd: an interface on an IPv4-only network has IPv6 off, not even an fe80:: address.
        NetNamespaces.call(netns(c), () -> {
          java.nio.file.Files.writeString(Path.of("/proc/sys/net/ipv6/conf", ifName, "disable_ipv6"), "1");
          return null;
        });
      }
      if (!e.linkLocalIps().isEmpty()) {
        LinkLocalIps.add(netns(c), ifName, e.linkLocalIps());
      }
    } catch (RuntimeException ex) {
      cni.delete(attachment(c, net, e, ifName, published));
      throw ex;
    }
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return e.attach(new Endpoint.Attachment(HexFormat.of().formatHex(id), ifName, ip.address(), ip.prefixLength(),
        ip.gateway(), mac, ip6.address().isEmpty() ? "" : Ipv6Subnet.normal(ip6.address()), ip6.prefixLength(),
        ip6.gateway().isEmpty() ? "" : Ipv6Subnet.normal(ip6.gateway())));
  }

  /**
   * Tears everything down that {@link #beginSetUp} or {@link #connect} made. Failures are logged and
   * the rest goes on, so one stuck plugin never keeps a namespace or a port.
   */
  public void tearDown(Container c) {
    if (!ownsNamespace(c)) {
      return;
    }
    ports.release(c.id());
    try {
      ready(c.id());
    } catch (RuntimeException e) {
      // undone already; the DELs below find nothing
    }
    DnsServer resolver = resolvers.remove(c.id());
    if (resolver != null) {
      resolver.close();
    }
    int index = 0;
    for (var entry : c.networking().endpoints().entrySet()) {
      Endpoint e = entry.getValue();
      var net = networks.get(e.networkId());
      if (net.isEmpty() || !net.get().isBridge()) {
        continue;
      }
      String ifName = e.attached() != null ? e.attached().ifName() : "eth" + index;
      index++;
      var attachment = attachment(c, net.get(), e, ifName, c.networking().published());
      try {
        cni.delete(attachment);
      } catch (RuntimeException ex) {
        try {
          // Once more (a plugin killed half-way is done at once when run again); if that fails
          // too, what DEL needs stays kept for the next ADD or engine start (Cni.delete).
          cni.delete(attachment);
        } catch (RuntimeException again) {
          LOG.log(System.Logger.Level.WARNING, "detaching " + c.id().shortId() + " from " + entry.getKey() + ": "
              + ex.getMessage() + "; again: " + again.getMessage());
        }
      }
    }
    NetNamespaces.remove(netns(c));
  }

  /**
   * After a berthd restart: takes the published ports again and answers names again in a running
   * container's namespace, both of which died with the old process.
   */
  public void recover(Container c) {
    if (!ownsNamespace(c) || !NetNamespaces.exists(netns(c))) {
      return;
    }
    if (!c.networking().published().isEmpty()) {
      ports.reserve(c.id(), c.name().value(), c.networking().published());
    }
    if (servesNames(c)) {
      serveNames(c);
    }
  }

  /** libnetwork reports each endpoint joining at start and leaving at exit, as well as explicit connects. */
  public void announce(Container c, String action) {
    c.networking().endpoints().values().stream().filter(e -> e.attached() != null)
        .forEach(e -> networks.get(e.networkId()).ifPresent(net -> announce(c, net, action)));
    if (action.equals("connect")) {
      links.updateLinkers(c, parent -> new ContainerDir(paths.container(parent.id().hex())).hosts());
    }
  }

  public void announce(Container c, Network net, String action) {
    events.bus().publish(EngineEvent.Type.NETWORK, action, net.id().hex(),
        Map.of("container", c.id().hex(), "name", net.name(), "type", net.driver()));
  }

  /**
   * The containers whose network the host still holds: a pinned namespace, an ADD result kept for
   * DEL, or an address lease. For reconciling at start: one not recorded running is torn down.
   */
  public Set<ContainerId> present() {
    var names = new java.util.HashSet<>(cni.attached(paths.leases()));
    Path dir = paths.netns("x").getParent();
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        files.forEach(f -> names.add(f.getFileName().toString()));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "listing " + dir + ": " + e.getMessage());
      }
    }
    return names.stream().filter(ContainerId::isHex64).map(ContainerId::new)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** DELs what is kept of a gone container's attachments: their DEL did not finish. */
  public void forget(ContainerId id) {
    cni.deleteKept(id.hex());
  }

  /** Unpins namespaces no running container owns: a crash between set-up and recording left them. */
  public void removeLeftovers(Set<ContainerId> running) {
    Path dir = paths.netns("x").getParent();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!ContainerId.isHex64(name) || !running.contains(new ContainerId(name))) {
          NetNamespaces.remove(f);
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "listing " + dir + ": " + e.getMessage());
    }
  }

  private void serveNames(Container c) {
    var lookup = new ContainerNameLookup(repository, c.id(),
        id -> networks.get(id).map(Network::resolvesNames).orElse(false));
    resolvers.put(c.id(), DnsServer.openIn(netns(c), lookup, Upstream.udp(upstreams(c))));
  }

  /** Where names the engine does not know go: the container's --dns servers, else the host's. */
  private List<InetSocketAddress> upstreams(Container c) {
    List<String> servers = c.hostConfig().dns();
    if (servers.isEmpty()) {
      servers = files.hostNameservers();
    }
    return servers.stream().map(ip -> new InetSocketAddress(ip, 53)).toList();
  }

  private Cni.Attachment attachment(Container c, Network net, Endpoint e, String ifName, List<PortBinding> published) {
    return cniConfig.attachment(c.id().hex(), netns(c), ifName, net, e, published);
  }
}
