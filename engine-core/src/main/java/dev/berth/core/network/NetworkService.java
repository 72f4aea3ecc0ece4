package dev.berth.core.network;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.ForbiddenException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.os.Interfaces;
import dev.berth.core.prune.PruneFilter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Creating, finding, listing and removing networks; what runs on them is the containers' business. */
public final class NetworkService {

  private static final System.Logger LOG = System.getLogger(NetworkService.class.getName());
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");
  static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

  /**
   * What {@code POST /networks/create} asks for.
   *
   * @param pools empty for a subnet the engine picks; at most one IPv4 and one IPv6 subnet
   * @param enableIPv4 null for the network option {@code com.docker.network.enable_ipv4}, else true
   * @param enableIPv6 null for the network option {@code com.docker.network.enable_ipv6}, else false
   */
  public record CreateRequest(String name, String driver, boolean internal, boolean attachable, String ipamDriver,
      List<IpamPool> pools, Map<String, String> ipamOptions, Map<String, String> options,
      Map<String, String> labels, Boolean enableIPv4, Boolean enableIPv6) {

    public CreateRequest(String name, String driver, boolean internal, boolean attachable, String ipamDriver,
        List<IpamPool> pools, Map<String, String> ipamOptions, Map<String, String> options,
        Map<String, String> labels) {
      this(name, driver, internal, attachable, ipamDriver, pools, ipamOptions, options, labels, null, null);
    }
  }

  /**
   * @param defaultBridge the host interface of the {@code bridge} network (dockerd's docker0)
   * @param bip the default bridge's gateway address and subnet (a.b.c.d/n); null to pick one
   * @param hostGatewayIps what {@code host-gateway} in {@code --add-host} stands for (dockerd's
   *     host-gateway-ip); empty for the default bridge's gateway
   * @param ipv6Pool where IPv6 networks created without an IPv6 subnet get a /64: a ULA /48 of
   *     this engine's own, as dockerd derives one from its host ID
   */
  public record Defaults(String defaultBridge, String bip, List<String> hostGatewayIps, Ipv6Subnet ipv6Pool) {

    public Defaults {
      hostGatewayIps = hostGatewayIps == null ? List.of() : List.copyOf(hostGatewayIps);
      ipv6Pool = ipv6Pool == null ? AddressPools.ula("") : ipv6Pool;
    }

    public Defaults(String defaultBridge, String bip, List<String> hostGatewayIps) {
      this(defaultBridge, bip, hostGatewayIps, null);
    }

    public Defaults(String defaultBridge, String bip) {
      this(defaultBridge, bip, List.of());
    }
  }

  /** The CNI name of a network: its ID keeps iptables chains and leases apart from a later network of the same name. */
  public static String cniName(Network n) {
    return "berth-" + n.id().shortId();
  }

  private final NetworkRepository repository;
  private final NetworkMembers members;
  private final AddressPools pools;
  private final Defaults defaults;
  private final Path leases;
  private final EventBus events;
  private final Clock clock;

  /** @param leases host-local's data directory, one subdirectory per network */
  public NetworkService(NetworkRepository repository, NetworkMembers members, AddressPools pools, Defaults defaults,
      Path leases, EventBus events, Clock clock) {
    this.repository = repository;
    this.members = members;
    this.pools = pools;
    this.defaults = defaults;
    this.leases = leases;
    this.events = events;
    this.clock = clock;
  }

  /** Records bridge, host and none on the first start, so their IDs never change afterwards. */
  public void ensurePredefined() {
    if (!repository.existsByName(Network.HOST)) {
      insertPredefined(Network.HOST, "host", List.of(), "");
    }
    if (!repository.existsByName(Network.NONE)) {
      insertPredefined(Network.NONE, "null", List.of(), "");
    }
    if (!repository.existsByName(Network.DEFAULT_BRIDGE)) {
      IpamPool pool;
      if (defaults.bip() != null && !defaults.bip().isEmpty()) {
        Subnet s = Subnet.parse(defaults.bip());
        pool = new IpamPool(s.toString(), defaults.bip().substring(0, defaults.bip().indexOf('/')), null);
      } else {
        pool = existingAddress(defaults.defaultBridge()).map(a -> {
          LOG.log(System.Logger.Level.INFO, "default bridge " + defaults.defaultBridge() + " exists with " + a
              + ": using its subnet");
          return new IpamPool(Subnet.parse(a).toString(), a.substring(0, a.indexOf('/')), null);
        }).orElseGet(() -> {
          Subnet s = freeSubnet();
          return new IpamPool(s.toString(), Subnet.format(s.at(1)), null);
        });
      }
      insertPredefined(Network.DEFAULT_BRIDGE, "bridge", List.of(pool), defaults.defaultBridge());
    }
  }

  /**
   * The IPv4 address (a.b.c.d/n) a host interface already has: dockerd adopts docker0's address
   * when it finds the interface configured (by an earlier daemon or the administrator), instead of
   * giving the bridge a second subnet.
   */
  static Optional<String> existingAddress(String iface) {
    try {
      java.net.NetworkInterface ni = java.net.NetworkInterface.getByName(iface);
      if (ni == null) {
        return Optional.empty();
      }
      return ni.getInterfaceAddresses().stream().filter(a -> a.getAddress() instanceof java.net.Inet4Address)
          .findFirst().map(a -> a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength());
    } catch (java.net.SocketException e) {
      return Optional.empty();
    }
  }

  /**
   * The addresses {@code host-gateway} stands for in a container's /etc/hosts: the daemon's
   * host-gateway-ip, else the default bridge's gateway, as dockerd's setHostGatewayIP.
   */
  public List<String> hostGatewayIps() {
    if (!defaults.hostGatewayIps().isEmpty()) {
      return defaults.hostGatewayIps();
    }
    return repository.findByName(Network.DEFAULT_BRIDGE).filter(n -> !n.pools().isEmpty())
        .map(n -> n.ipv4Pool().gateway() == null || n.ipv4Pool().gateway().isEmpty()
            ? Subnet.format(n.subnet().at(1)) : n.ipv4Pool().gateway())
        .map(List::of).orElse(List.of());
  }

  private void insertPredefined(String name, String driver, List<IpamPool> ipam, String bridge) {
    Map<String, String> options = driver.equals("bridge") ? Map.of(
        "com.docker.network.bridge.default_bridge", "true",
        "com.docker.network.bridge.enable_icc", "true",
        "com.docker.network.bridge.enable_ip_masquerade", "true",
        "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0",
        BRIDGE_NAME_OPTION, bridge,
        "com.docker.network.driver.mtu", "1500") : Map.of();
    repository.insert(new Network(NetworkId.random(), name, driver, clock.instant(), false, false, "default", ipam,
        Map.of(), options, Map.of(), bridge));
  }

  /**
   * @throws ConflictException if the name is taken (dockerd's CheckDuplicate is always on since 1.44)
   * @throws NotFoundException for a driver other than bridge
   * @throws ForbiddenException if the subnet overlaps another network's
   */
  public Network create(CreateRequest r) {
    if (r.name() == null || r.name().isEmpty()) {
      throw new InvalidArgumentException("network name is required");
    }
    if (!NAME.matcher(r.name()).matches()) {
      throw new InvalidArgumentException("invalid network name \"" + r.name()
          + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
    if (driver.equals("host") || driver.equals("null")) {
      throw new ForbiddenException("only one instance of \"" + driver + "\" network is allowed");
    }
    if (!driver.equals("bridge")) {
      throw new NotFoundException("plugin \"" + driver + "\" not found");
    }
    String ipamDriver = r.ipamDriver() == null || r.ipamDriver().isEmpty() ? "default" : r.ipamDriver();
    if (!ipamDriver.equals("default")) {
      throw new NotFoundException("plugin \"" + ipamDriver + "\" not found");
    }
    if (repository.findByName(r.name()).isPresent()) {
      throw new ConflictException("network with name " + r.name() + " already exists");
    }
    Map<String, String> options = new java.util.LinkedHashMap<>(r.options() == null ? Map.of() : r.options());
    boolean ipv4 = enabled(r.enableIPv4(), options, BridgeOptions.ENABLE_IPV4, true);
    boolean ipv6 = enabled(r.enableIPv6(), options, BridgeOptions.ENABLE_IPV6, false);
    if (!ipv4) {
      throw new InvalidArgumentException("berth does not support IPv6-only networks (EnableIPv4=false) yet");
    }
    synchronized (this) {
      List<IpamPool> requested = r.pools() == null ? List.of() : r.pools();
      List<IpamPool> requested6 = requested.stream().filter(p -> Ipv6Subnet.isIpv6(p.subnet())).toList();
      requested = requested.stream().filter(p -> !Ipv6Subnet.isIpv6(p.subnet())).toList();
      if (requested.size() > 1) {
        throw new InvalidArgumentException("berth supports one IPv4 subnet per network");
      }
      if (requested6.size() > 1) {
        throw new InvalidArgumentException("berth supports one IPv6 subnet per network");
      }
      if (!requested6.isEmpty() && !ipv6) {
        // dockerd drops the subnet without a word and makes an IPv4-only network.
        throw new InvalidArgumentException("IPv6 subnet " + requested6.getFirst().subnet() + " is given but IPv6 is "
            + "not enabled on the network: enable it (--ipv6) or leave the subnet out");
      }
      Subnet subnet;
      IpamPool stored;
      if (requested.isEmpty() || requested.getFirst().subnet() == null || requested.getFirst().subnet().isEmpty()) {
        subnet = freeSubnet();
        stored = null;
      } else {
        stored = requested.getFirst();
        subnet = validate(stored);
        for (Network other : repository.list()) {
          if (other.isBridge() && other.subnet().overlaps(subnet)) {
            throw new ForbiddenException("invalid pool request: Pool overlaps with other one on this address space");
          }
        }
      }
      IpamPool pool6 = null;
      if (ipv6) {
        pool6 = requested6.isEmpty() ? freeIpv6Pool() : validate6(requested6.getFirst());
      }
      NetworkId id = NetworkId.random();
      BridgeOptions.check(options);
      String bridge = options.getOrDefault(BRIDGE_NAME_OPTION, "br-" + id.shortId());
      if (bridge.length() > 15) {
        throw new InvalidArgumentException("bridge name " + bridge + " is longer than 15 characters");
      }
      for (Network other : repository.list()) {
        if (other.isBridge() && other.bridge().equals(bridge)) {
          // As libnetwork's bridge driver: two networks on one interface would share (and delete) it.
          throw new ForbiddenException("cannot create network " + id.hex() + " (" + bridge + "): conflicts with network "
              + other.id().hex() + " (" + bridge + "): networks have same bridge name");
        }
      }
      // Inspect shows the pool the engine picked, as dockerd does, with the gateway it will use.
      var ipam = new ArrayList<IpamPool>(List.of(stored != null ? stored
          : new IpamPool(subnet.toString(), Subnet.format(subnet.at(1)), null)));
      if (pool6 != null) {
        ipam.add(pool6);
      }
      Network n = new Network(id, r.name(), driver, clock.instant(), r.internal(), r.attachable(), ipamDriver, ipam,
          r.ipamOptions(), options, r.labels(), bridge, ipv6);
      repository.insert(n);
      events.publish(EngineEvent.Type.NETWORK, "create", id.hex(), Map.of("name", n.name(), "type", driver));
      return n;
    }
  }

  private static Subnet validate(IpamPool p) {
    Subnet s = Subnet.parse(p.subnet());
    if (p.gateway() != null && !p.gateway().isEmpty() && !s.contains(Subnet.address(p.gateway()))) {
      throw new InvalidArgumentException("invalid pool request: gateway " + p.gateway() + " is not in subnet " + s);
    }
    if (p.ipRange() != null && !p.ipRange().isEmpty() && !s.contains(Subnet.parse(p.ipRange()))) {
      throw new InvalidArgumentException("invalid pool request: ip-range " + p.ipRange() + " is not in subnet " + s);
    }
    if (s.prefix() > 30) {
      throw new InvalidArgumentException("invalid pool request: subnet " + s + " is too small");
    }
    return s;
  }

  /**
   * An IP family's switch as dockerd reads it: the request's field, else the network option (which
   * the field, when given, removes from the options).
   */
  private static boolean enabled(Boolean field, Map<String, String> options, String option, boolean otherwise) {
    if (field != null) {
      options.remove(option);
      return field;
    }
    String v = options.get(option);
    if (v == null) {
      return otherwise;
    }
    Boolean b = BridgeOptions.bool(v);
    if (b == null) {
      throw new InvalidArgumentException("driver-opt \"" + option + "\" is not a valid bool");
    }
    return b;
  }

  /**
   * The IPv6 pool as given, checked as dockerd's validateIpamConfig checks one, with its gateway
   * (the subnet's first address unless given) written out as inspect shows it.
   */
  private IpamPool validate6(IpamPool p) {
    Ipv6Subnet s = Ipv6Subnet.parse(p.subnet());
    if (!Ipv6Subnet.address(p.subnet().substring(0, p.subnet().indexOf('/'))).equals(s.base())) {
      throw new InvalidArgumentException("invalid network config:\ninvalid subnet " + p.subnet() + ": it should be " + s);
    }
    if (s.prefix() > 126) {
      throw new InvalidArgumentException("invalid pool request: subnet " + s + " is too small");
    }
    String gateway = null;
    if (p.gateway() != null && !p.gateway().isEmpty()) {
      if (!Ipv6Subnet.isIpv6(p.gateway())) {
        throw new InvalidArgumentException("invalid network config:\ninvalid gateway " + p.gateway()
            + ": parent subnet is an IPv6 block");
      }
      if (!s.contains(Ipv6Subnet.address(p.gateway()))) {
        throw new InvalidArgumentException("invalid network config:\ninvalid gateway " + p.gateway() + ": parent subnet "
            + s + " doesn't contain this address");
      }
      gateway = Ipv6Subnet.normal(p.gateway());
    }
    String range = null;
    if (p.ipRange() != null && !p.ipRange().isEmpty()) {
      if (!Ipv6Subnet.isIpv6(p.ipRange())) {
        throw new InvalidArgumentException("invalid network config:\ninvalid ip-range " + p.ipRange()
            + ": parent subnet is an IPv6 block");
      }
      Ipv6Subnet r = Ipv6Subnet.parse(p.ipRange());
      if (!s.contains(r)) {
        throw new InvalidArgumentException("invalid network config:\ninvalid ip-range " + p.ipRange()
            + ": parent subnet " + s + " doesn't contain ip-range");
      }
      range = r.toString();
    }
    for (Network other : repository.list()) {
      var theirs = other.ipv6Pool();
      if (theirs.isPresent() && Ipv6Subnet.parse(theirs.get().subnet()).overlaps(s)) {
        throw new ForbiddenException("invalid pool request: Pool overlaps with other one on this address space");
      }
    }
    return new IpamPool(s.toString(), gateway != null ? gateway : Ipv6Subnet.format(s.at(1)), range);
  }

  /** The first /64 of the engine's ULA /48 that no network has, as dockerd's default IPv6 pool. */
  private IpamPool freeIpv6Pool() {
    var taken = new ArrayList<Ipv6Subnet>();
    for (Network n : repository.list()) {
      n.ipv6Pool().ifPresent(p -> taken.add(Ipv6Subnet.parse(p.subnet())));
    }
    Ipv6Subnet base = defaults.ipv6Pool();
    for (long i = 0; i < 1L << (64 - base.prefix()); i++) {
      Ipv6Subnet candidate = base.child(64, i);
      if (taken.stream().noneMatch(candidate::overlaps)) {
        return new IpamPool(candidate.toString(), Ipv6Subnet.format(candidate.at(1)), null);
      }
    }
    throw new ForbiddenException("all predefined address pools have been fully subnetted");
  }

  private Subnet freeSubnet() {
    var taken = new ArrayList<Subnet>();
    for (Network n : repository.list()) {
      if (n.isBridge()) {
        taken.add(n.subnet());
      }
    }
    return pools.next(taken).orElseThrow(() -> new ForbiddenException(
        "all predefined address pools have been fully subnetted"));
  }

  /**
   * By full ID, exact name, then unique ID prefix, as dockerd looks networks up.
   *
   * @throws NotFoundException {@code network <ref> not found}
   */
  public Network find(String ref) {
    return findOptional(ref).orElseThrow(() -> new NotFoundException("network " + ref + " not found"));
  }

  public Optional<Network> findOptional(String ref) {
    if (ref == null || ref.isEmpty()) {
      return Optional.empty();
    }
    if (ref.length() == 64 && HEX.matcher(ref).matches()) {
      Optional<Network> byId = repository.find(new NetworkId(ref));
      if (byId.isPresent()) {
        return byId;
      }
    }
    Optional<Network> byName = repository.findByName(ref);
    if (byName.isPresent()) {
      return byName;
    }
    if (HEX.matcher(ref).matches()) {
      List<Network> matches = repository.findByIdPrefix(ref);
      if (matches.size() > 1) {
        throw new InvalidArgumentException("network " + ref + " is ambiguous (" + matches.size() + " matches found)");
      }
      return matches.stream().findFirst();
    }
    return Optional.empty();
  }

  public Optional<Network> get(NetworkId id) {
    return repository.find(id);
  }

  public List<Network> list(Predicate<Network> filter) {
    return repository.list().stream().filter(filter).toList();
  }

  public List<NetworkMembers.Member> members(Network n) {
    return members.of(n.id());
  }

  /**
   * @throws ForbiddenException for bridge, host and none, and for a network running containers use
   */
  public void remove(String ref) {
    Network n = find(ref);
    if (n.predefined()) {
      throw new ForbiddenException(n.name() + " is a pre-defined network and cannot be removed");
    }
    synchronized (this) {
      if (members.of(n.id()).stream().anyMatch(NetworkMembers.Member::running)) {
        throw new ForbiddenException("error while removing network: network " + n.name() + " id " + n.id().hex()
            + " has active endpoints");
      }
      repository.delete(n.id());
    }
    try {
      Interfaces.deleteBridge(n.bridge());
      BridgeRules.remove(n.bridge());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "deleting bridge " + n.bridge() + ": " + e.getMessage());
    }
    FileTrees.delete(leases.resolve(cniName(n)));
    events.publish(EngineEvent.Type.NETWORK, "destroy", n.id().hex(), Map.of("name", n.name(), "type", n.driver()));
  }

  /** {@code docker network prune}: user-defined networks no container uses. */
  public List<String> prune(PruneFilter filter) {
    var deleted = new ArrayList<String>();
    for (Network n : repository.list()) {
      if (n.predefined() || !filter.matches(n.labels(), n.created()) || !members.of(n.id()).isEmpty()) {
        continue;
      }
      try {
        remove(n.id().hex());
        deleted.add(n.name());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "pruning network " + n.name() + ": " + e.getMessage());
      }
    }
    return deleted;
  }

  /** Deletes the host bridges of every network: for tests and uninstall, never while containers run. */
  public void deleteBridges() {
    for (Network n : repository.list()) {
      if (n.isBridge()) {
        Interfaces.deleteBridge(n.bridge());
        BridgeRules.remove(n.bridge());
      }
    }
  }
}
