package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.ForbiddenException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.prune.PruneFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, finding, removing and pruning networks, with an in-memory repository and no host changes. */
class NetworkServiceTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** A bridge name no host has, so removing it never touches a real interface. */
  private static final String NO_SUCH_BRIDGE = "bt-nosuch0";

  @TempDir
  Path tmp;

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final InMemoryNetworkRepository repository = new InMemoryNetworkRepository();
  private final Map<NetworkId, List<NetworkMembers.Member>> members = new HashMap<>();
  private final EventBus events = new EventBus(clock);
  private Path leases;
  private NetworkService service;

  @BeforeEach
  void setUp() {
    leases = tmp.resolve("leases");
    service = service(new NetworkService.Defaults("berth0", null));
  }

  private NetworkService service(NetworkService.Defaults defaults) {
    return new NetworkService(repository, id -> members.getOrDefault(id, List.of()),
        new AddressPools(AddressPools.DEFAULT, tmp.resolve("no-such-routes")), defaults, leases, events, clock);
  }

  private int bridges;

  /** A bridge name no host has, different for each network, so removing one never touches a real interface. */
  private String noSuchBridge() {
    return "bt-nosuch" + ++bridges;
  }

  private NetworkService.CreateRequest request(String name) {
    return request(name, "bridge", List.of(), Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge()));
  }

  private static NetworkService.CreateRequest request(String name, String driver, List<IpamPool> pools,
      Map<String, String> options) {
    return new NetworkService.CreateRequest(name, driver, false, false, null, pools, Map.of(), options, Map.of());
  }

  private NetworkService.CreateRequest withSubnet(String name, String subnet, String gateway) {
    return request(name, "bridge", List.of(new IpamPool(subnet, gateway, null)),
        Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge()));
  }

  private NetworkService.CreateRequest labelled(String name, Map<String, String> labels) {
    return new NetworkService.CreateRequest(name, "bridge", false, false, null, List.of(), Map.of(),
        Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge()), labels);
  }

  private static NetworkMembers.Member member(String name, boolean running) {
    return new NetworkMembers.Member("c".repeat(64), name, running, new Endpoint(null, List.of(), "", null));
  }

  private NetworkService.CreateRequest ipv6(String name, Boolean enable, IpamPool... pools) {
    return new NetworkService.CreateRequest(name, "bridge", false, false, null, List.of(pools), Map.of(),
        Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge()), Map.of(), null, enable);
  }

  // IPv6

  @Test
  void anIpv6NetworkKeepsItsSubnetAfterTheIpv4OneWithItsFirstAddressAsGateway() {
    Network n = service.create(ipv6("six", true, new IpamPool("fd12:3456:789a:1::/64", null, null)));
    assertTrue(n.enableIPv6());
    assertEquals(List.of(new IpamPool("172.17.0.0/16", "172.17.0.1", null),
        new IpamPool("fd12:3456:789a:1::/64", "fd12:3456:789a:1::1", null)), n.pools());
    assertEquals("fd12:3456:789a:1::/64", n.ipv6Pool().orElseThrow().subnet());
    assertEquals("172.17.0.0/16", n.subnet().toString());
    assertEquals(n, repository.findByName("six").orElseThrow());
  }

  @Test
  void withoutAnIpv6SubnetEachNetworkGetsTheNextSlash64OfTheEnginesUla() {
    var ula = AddressPools.ula("test-engine");
    service = service(new NetworkService.Defaults("berth0", null, List.of(), ula));
    Network a = service.create(ipv6("a", true));
    Network b = service.create(ipv6("b", true));
    assertEquals(ula.child(64, 0).toString(), a.ipv6Pool().orElseThrow().subnet());
    assertEquals(ula.child(64, 1).toString(), b.ipv6Pool().orElseThrow().subnet());
    assertEquals(Ipv6Subnet.format(ula.child(64, 1).at(1)), b.ipv6Pool().orElseThrow().gateway());
  }

  @Test
  void theEnableIpv6OptionStandsForTheFieldAndTheFieldWins() {
    var byOption = new NetworkService.CreateRequest("opt", "bridge", false, false, null, List.of(), Map.of(),
        Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge(), BridgeOptions.ENABLE_IPV6, "true"), Map.of(), null,
        null);
    assertTrue(service.create(byOption).enableIPv6());
    var fieldWins = new NetworkService.CreateRequest("field", "bridge", false, false, null, List.of(), Map.of(),
        Map.of(NetworkService.BRIDGE_NAME_OPTION, noSuchBridge(), BridgeOptions.ENABLE_IPV6, "true"), Map.of(), null,
        false);
    Network n = service.create(fieldWins);
    assertFalse(n.enableIPv6());
    assertFalse(n.options().containsKey(BridgeOptions.ENABLE_IPV6));
    var bad = new NetworkService.CreateRequest("bad", "bridge", false, false, null, List.of(), Map.of(),
        Map.of(BridgeOptions.ENABLE_IPV6, "maybe"), Map.of(), null, null);
    assertEquals("driver-opt \"com.docker.network.enable_ipv6\" is not a valid bool",
        assertThrows(InvalidArgumentException.class, () -> service.create(bad)).getMessage());
  }

  @Test
  void ipv6RequestsBerthCannotHonourAreRefused() {
    assertTrue(assertThrows(InvalidArgumentException.class, () -> service.create(ipv6("off", false,
        new IpamPool("fd12:3456:789a:1::/64", null, null)))).getMessage().contains("IPv6 is not enabled"));
    assertTrue(assertThrows(InvalidArgumentException.class, () -> service.create(ipv6("unset", null,
        new IpamPool("fd12:3456:789a:1::/64", null, null)))).getMessage().contains("IPv6 is not enabled"));
    assertEquals("berth supports one IPv6 subnet per network", assertThrows(InvalidArgumentException.class,
        () -> service.create(ipv6("two", true, new IpamPool("fd12:3456:789a:1::/64", null, null),
            new IpamPool("fd12:3456:789a:2::/64", null, null)))).getMessage());
    assertEquals("invalid network config:\ninvalid subnet fd12:3456:789a:1::5/64: it should be fd12:3456:789a:1::/64",
        assertThrows(InvalidArgumentException.class, () -> service.create(ipv6("host-bits", true,
            new IpamPool("fd12:3456:789a:1::5/64", null, null)))).getMessage());
    assertTrue(assertThrows(InvalidArgumentException.class, () -> service.create(ipv6("gw", true,
        new IpamPool("fd12:3456:789a:1::/64", "fd12:3456:789a:2::1", null)))).getMessage()
        .contains("doesn't contain this address"));
    var v6only = new NetworkService.CreateRequest("v6only", "bridge", false, false, null, List.of(), Map.of(),
        Map.of(), Map.of(), false, true);
    assertTrue(assertThrows(InvalidArgumentException.class, () -> service.create(v6only)).getMessage()
        .contains("IPv6-only"));
    service.create(ipv6("first", true, new IpamPool("fd12:3456:789a::/48", null, null)));
    assertEquals("invalid pool request: Pool overlaps with other one on this address space",
        assertThrows(ForbiddenException.class, () -> service.create(ipv6("inside", true,
            new IpamPool("fd12:3456:789a:7::/64", null, null)))).getMessage());
  }

  // ensurePredefined

  @Test
  void ensurePredefinedCreatesBridgeHostAndNone() {
    service.ensurePredefined();
    assertEquals(List.of("bridge", "host", "none"), repository.list().stream().map(Network::name).toList());
    Network bridge = service.find("bridge");
    assertEquals("bridge", bridge.driver());
    assertEquals("berth0", bridge.bridge());
    assertEquals("berth0", bridge.options().get(NetworkService.BRIDGE_NAME_OPTION));
    assertEquals("true", bridge.options().get("com.docker.network.bridge.default_bridge"));
    assertEquals(List.of(new IpamPool("172.17.0.0/16", "172.17.0.1", null)), bridge.pools());
    assertEquals(T0, bridge.created());
    assertEquals("host", service.find("host").driver());
    assertEquals("null", service.find("none").driver());
    assertEquals(List.of(), service.find("none").pools());
    assertEquals("", service.find("host").bridge());
  }

  @Test
  void ensurePredefinedTwiceKeepsTheSameIds() {
    service.ensurePredefined();
    var ids = repository.list().stream().map(Network::id).toList();
    service.ensurePredefined();
    service(new NetworkService.Defaults("other0", "10.99.0.1/24")).ensurePredefined();
    assertEquals(ids, repository.list().stream().map(Network::id).toList());
    assertEquals("berth0", service.find("bridge").bridge());
  }

  @Test
  void ensurePredefinedHonoursTheBip() {
    service(new NetworkService.Defaults("berth9", "10.99.0.1/24")).ensurePredefined();
    Network bridge = service.find("bridge");
    assertEquals(List.of(new IpamPool("10.99.0.0/24", "10.99.0.1", null)), bridge.pools());
    assertEquals("berth9", bridge.bridge());
  }

  @Test
  void ensurePredefinedRecreatesOnlyWhatIsMissing() {
    service.ensurePredefined();
    NetworkId bridgeId = service.find("bridge").id();
    repository.delete(service.find("host").id());
    service.ensurePredefined();
    assertEquals(bridgeId, service.find("bridge").id());
    assertEquals("host", service.find("host").driver());
  }

  // create

  @Test
  void createPicksTheFirstFreeSubnetAndItsGateway() {
    service.ensurePredefined();
    Network a = service.create(request("a"));
    Network b = service.create(request("b"));
    assertEquals(List.of(new IpamPool("172.18.0.0/16", "172.18.0.1", null)), a.pools());
    assertEquals(List.of(new IpamPool("172.19.0.0/16", "172.19.0.1", null)), b.pools());
  }

  @Test
  void createSkipsSubnetsGivenToOtherNetworks() {
    service.create(withSubnet("mine", "172.17.3.0/24", null));
    Network picked = service.create(request("picked"));
    assertEquals("172.18.0.0/16", picked.pools().getFirst().subnet());
    assertFalse(picked.subnet().overlaps(service.find("mine").subnet()));
  }

  @Test
  void createRecordsTheRequestAsGiven() {
    var pool = new IpamPool("10.50.0.0/24", "10.50.0.254", "10.50.0.128/25");
    var options = Map.of(NetworkService.BRIDGE_NAME_OPTION, NO_SUCH_BRIDGE, "com.docker.network.driver.mtu", "1400");
    var ipamOptions = Map.of("foo", "bar");
    var labels = Map.of("com.example", "yes", "empty", "");
    Network n = service.create(new NetworkService.CreateRequest("given", "", true, true, "default", List.of(pool),
        ipamOptions, options, labels));
    assertEquals(List.of(pool), n.pools());
    assertEquals(options, n.options());
    assertEquals(ipamOptions, n.ipamOptions());
    assertEquals(labels, n.labels());
    assertEquals("bridge", n.driver());
    assertEquals("default", n.ipamDriver());
    assertTrue(n.internal());
    assertTrue(n.attachable());
    assertEquals(NO_SUCH_BRIDGE, n.bridge());
    assertEquals(T0, n.created());
    assertEquals(n, service.find("given"));
  }

  @Test
  void withoutABridgeNameOptionTheBridgeIsNamedAfterTheId() {
    Network n = service.create(request("plain", null, List.of(), null));
    assertEquals("br-" + n.id().shortId(), n.bridge());
    assertEquals(Map.of(), n.options());
  }

  @Test
  void aDuplicateNameIsAConflict() {
    service.create(request("dup"));
    var e = assertThrows(ConflictException.class, () -> service.create(request("dup")));
    assertEquals("network with name dup already exists", e.getMessage());
    assertEquals(1, service.list(n -> true).size());
  }

  @Test
  void aPredefinedNameIsAConflict() {
    service.ensurePredefined();
    var e = assertThrows(ConflictException.class, () -> service.create(request("bridge")));
    assertEquals("network with name bridge already exists", e.getMessage());
  }

  @Test
  void badNamesAreRefused() {
    assertEquals("network name is required",
        assertThrows(InvalidArgumentException.class, () -> service.create(request(""))).getMessage());
    assertEquals("network name is required",
        assertThrows(InvalidArgumentException.class, () -> service.create(request(null))).getMessage());
    for (String bad : new String[] {"-lead", ".lead", "has space", "slash/y", "ü"}) {
      var e = assertThrows(InvalidArgumentException.class, () -> service.create(request(bad)), bad);
      assertEquals("invalid network name \"" + bad + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.getMessage());
    }
    assertTrue(repository.list().isEmpty());
  }

  @Test
  void namesWithDotsDashesAndUnderscoresAreFine() {
    assertEquals("a1_b.c-d", service.create(request("a1_b.c-d")).name());
  }

  @Test
  void anUnknownDriverIsNotFound() {
    var e = assertThrows(NotFoundException.class,
        () -> service.create(request("x", "overlay", List.of(), Map.of())));
    assertEquals("plugin \"overlay\" not found", e.getMessage());
  }

  @Test
  void anUnknownIpamDriverIsNotFound() {
    var r = new NetworkService.CreateRequest("x", "bridge", false, false, "dhcp", List.of(), Map.of(), Map.of(),
        Map.of());
    assertEquals("plugin \"dhcp\" not found", assertThrows(NotFoundException.class, () -> service.create(r))
        .getMessage());
  }

  @Test
  void hostAndNullDriversAreForbidden() {
    assertEquals("only one instance of \"host\" network is allowed", assertThrows(ForbiddenException.class,
        () -> service.create(request("h", "host", List.of(), Map.of()))).getMessage());
    assertEquals("only one instance of \"null\" network is allowed", assertThrows(ForbiddenException.class,
        () -> service.create(request("n", "null", List.of(), Map.of()))).getMessage());
    assertTrue(repository.list().isEmpty());
  }

  @Test
  void aSubnetOverlappingAnotherIsForbidden() {
    service.create(withSubnet("first", "10.60.0.0/16", null));
    for (String overlapping : new String[] {"10.60.0.0/16", "10.60.5.0/24", "10.0.0.0/8"}) {
      var e = assertThrows(ForbiddenException.class, () -> service.create(withSubnet("second", overlapping, null)));
      assertEquals("invalid pool request: Pool overlaps with other one on this address space", e.getMessage());
    }
    assertTrue(service.findOptional("second").isEmpty());
  }

  @Test
  void aSubnetOverlappingTheDefaultBridgeIsForbidden() {
    service.ensurePredefined();
    assertThrows(ForbiddenException.class, () -> service.create(withSubnet("x", "172.17.1.0/24", null)));
  }

  @Test
  void aNeighbouringSubnetIsFine() {
    service.create(withSubnet("first", "10.60.0.0/24", null));
    assertEquals("10.60.1.0/24", service.create(withSubnet("second", "10.60.1.0/24", null)).subnet().toString());
  }

  @Test
  void aGatewayOutsideTheSubnetIsRefused() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> service.create(withSubnet("g", "10.70.0.0/24", "10.70.1.1")));
    assertEquals("invalid pool request: gateway 10.70.1.1 is not in subnet 10.70.0.0/24", e.getMessage());
    assertTrue(repository.list().isEmpty());
  }

  @Test
  void anIpRangeOutsideTheSubnetIsRefused() {
    var r = request("r", "bridge", List.of(new IpamPool("10.70.0.0/24", null, "10.70.0.0/16")), Map.of());
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(r));
    assertEquals("invalid pool request: ip-range 10.70.0.0/16 is not in subnet 10.70.0.0/24", e.getMessage());
  }

  @Test
  void aBadOrTinySubnetIsRefused() {
    assertThrows(InvalidArgumentException.class, () -> service.create(withSubnet("bad", "10.70.0.0", null)));
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(withSubnet("tiny", "10.70.0.0/31", null)));
    assertEquals("invalid pool request: subnet 10.70.0.0/31 is too small", e.getMessage());
  }

  @Test
  void moreThanOneSubnetIsRefused() {
    var r = request("two", "bridge", List.of(new IpamPool("10.1.0.0/24", null, null),
        new IpamPool("10.2.0.0/24", null, null)), Map.of());
    assertThrows(InvalidArgumentException.class, () -> service.create(r));
  }

  @Test
  void aBridgeNameLongerThanFifteenCharactersIsRefused() {
    var r = request("long", "bridge", List.of(), Map.of(NetworkService.BRIDGE_NAME_OPTION, "a-very-long-bridge0"));
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(r));
    assertEquals("bridge name a-very-long-bridge0 is longer than 15 characters", e.getMessage());
  }

  @Test
  void aBridgeNameAnotherNetworkUsesIsRefused() {
    service.ensurePredefined();
    var steal = request("steal", "bridge", List.of(), Map.of(NetworkService.BRIDGE_NAME_OPTION, "berth0"));
    var e = assertThrows(ForbiddenException.class, () -> service.create(steal));
    assertTrue(e.getMessage().endsWith("conflicts with network " + service.find("bridge").id().hex()
        + " (berth0): networks have same bridge name"), e.getMessage());
    var shared = Map.of(NetworkService.BRIDGE_NAME_OPTION, NO_SUCH_BRIDGE);
    service.create(request("first", "bridge", List.of(), shared));
    assertThrows(ForbiddenException.class, () -> service.create(request("second", "bridge", List.of(), shared)));
    assertTrue(service.findOptional("steal").isEmpty());
    assertTrue(service.findOptional("second").isEmpty());
  }

  @Test
  void exhaustedPoolsAreForbidden() {
    var tiny = new NetworkService(repository, id -> List.of(),
        new AddressPools(List.of(new AddressPools.Pool(Subnet.parse("10.80.0.0/24"), 24)), tmp.resolve("none")),
        new NetworkService.Defaults("berth0", null), leases, events, clock);
    tiny.create(request("only"));
    var e = assertThrows(ForbiddenException.class, () -> tiny.create(request("more", "bridge", List.of(), Map.of())));
    assertEquals("all predefined address pools have been fully subnetted", e.getMessage());
  }

  // find

  @Test
  void findByFullIdNameAndUniquePrefix() {
    Network n = service.create(request("findme"));
    assertEquals(n, service.find(n.id().hex()));
    assertEquals(n, service.find("findme"));
    assertEquals(n, service.find(n.id().shortId()));
    assertEquals(n, service.find(n.id().hex().substring(0, 3)));
    assertEquals(n, service.get(n.id()).orElseThrow());
  }

  @Test
  void aNameWinsOverAnIdPrefix() {
    Network target = service.create(request("target"));
    String prefix = target.id().hex().substring(0, 6);
    Network named = service.create(request(prefix, "bridge", List.of(), Map.of()));
    assertEquals(named, service.find(prefix));
  }

  @Test
  void anAmbiguousPrefixIsRefused() {
    for (String hex : List.of("ab" + "0".repeat(62), "ab" + "1".repeat(62), "cd" + "0".repeat(62))) {
      repository.insert(new Network(new NetworkId(hex), "n" + hex.substring(0, 3), "bridge", T0, false, false, null,
          List.of(), null, null, null, noSuchBridge()));
    }
    var e = assertThrows(InvalidArgumentException.class, () -> service.find("ab"));
    assertEquals("network ab is ambiguous (2 matches found)", e.getMessage());
    assertEquals("nab0", service.find("ab0").name());
    assertEquals("ncd0", service.find("c").name());
  }

  @Test
  void aMissingNetworkIsNotFound() {
    service.create(request("present"));
    assertEquals("network nope not found", assertThrows(NotFoundException.class, () -> service.find("nope"))
        .getMessage());
    String unknownId = "f".repeat(64).equals(service.find("present").id().hex()) ? "e".repeat(64) : "f".repeat(64);
    assertThrows(NotFoundException.class, () -> service.find(unknownId));
    assertTrue(service.findOptional("").isEmpty());
    assertTrue(service.findOptional(null).isEmpty());
  }

  @Test
  void listFilters() {
    service.ensurePredefined();
    service.create(request("mine"));
    assertEquals(List.of("mine"), service.list(n -> !n.predefined()).stream().map(Network::name).toList());
    assertEquals(4, service.list(n -> true).size());
  }

  // remove

  @Test
  void predefinedNetworksCannotBeRemoved() {
    service.ensurePredefined();
    for (String name : List.of("bridge", "host", "none")) {
      var e = assertThrows(ForbiddenException.class, () -> service.remove(name));
      assertEquals(name + " is a pre-defined network and cannot be removed", e.getMessage());
    }
    assertEquals(3, repository.list().size());
  }

  @Test
  void aNetworkWithARunningMemberCannotBeRemoved() {
    Network n = service.create(request("busy"));
    members.put(n.id(), List.of(member("stopped", false), member("web", true)));
    var e = assertThrows(ForbiddenException.class, () -> service.remove("busy"));
    assertTrue(e.getMessage().contains("has active endpoints"), e.getMessage());
    assertTrue(e.getMessage().contains(n.id().hex()), e.getMessage());
    assertEquals(n, service.find("busy"));
  }

  @Test
  void aNetworkWithOnlyStoppedMembersCanBeRemoved() {
    Network n = service.create(request("idle"));
    members.put(n.id(), List.of(member("stopped", false)));
    service.remove("idle");
    assertTrue(service.findOptional("idle").isEmpty());
  }

  @Test
  void removeDeletesTheRecordAndTheLeases() throws Exception {
    Network n = service.create(request("gone"));
    Path dir = leases.resolve(NetworkService.cniName(n));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("10.0.0.2"), "x");
    service.remove(n.id().shortId());
    assertTrue(service.findOptional("gone").isEmpty());
    assertFalse(Files.exists(dir));
  }

  @Test
  void removingAMissingNetworkIsNotFound() {
    assertEquals("network ghost not found",
        assertThrows(NotFoundException.class, () -> service.remove("ghost")).getMessage());
  }

  @Test
  void aRemovedNameCanBeCreatedAgainWithANewId() {
    Network first = service.create(request("again"));
    service.remove("again");
    Network second = service.create(request("again"));
    assertNotEquals(first.id(), second.id());
  }

  @Test
  void cniNameIsTheShortId() {
    Network n = service.create(request("cni"));
    assertEquals("berth-" + n.id().hex().substring(0, 12), NetworkService.cniName(n));
  }

  // prune

  @Test
  void pruneRemovesOnlyUnusedUserDefinedNetworks() {
    service.ensurePredefined();
    Network used = service.create(request("used"));
    Network stoppedUse = service.create(request("stopped-use"));
    service.create(request("unused"));
    members.put(used.id(), List.of(member("web", true)));
    members.put(stoppedUse.id(), List.of(member("old", false)));
    assertEquals(List.of("unused"), service.prune(PruneFilter.NONE));
    assertEquals(List.of("bridge", "host", "none", "stopped-use", "used"),
        repository.list().stream().map(Network::name).toList());
  }

  @Test
  void pruneHonoursTheLabelFilters() {
    service.create(labelled("keep", Map.of("keep", "yes")));
    service.create(labelled("drop", Map.of("tier", "test")));
    assertEquals(List.of(), service.prune(new PruneFilter(List.of("tier=prod"), List.of(), null)));
    assertEquals(List.of("drop"), service.prune(new PruneFilter(List.of(), List.of("keep"), null)));
    assertEquals(List.of("keep"), repository.list().stream().map(Network::name).toList());
  }

  @Test
  void pruneHonoursUntil() {
    service.create(request("recent"));
    assertEquals(List.of(), service.prune(new PruneFilter(List.of(), List.of(), T0.minusSeconds(1))));
    assertEquals(List.of("recent"), service.prune(new PruneFilter(List.of(), List.of(), T0)));
  }

  // events

  @Test
  void createAndRemovePublishEvents() throws InterruptedException {
    try (var sub = events.subscribe(T0)) {
      Network n = service.create(request("evented"));
      service.remove("evented");
      EngineEvent created = sub.next(1000);
      assertEquals(EngineEvent.Type.NETWORK, created.type());
      assertEquals("create", created.action());
      assertEquals(n.id().hex(), created.actorId());
      assertEquals(Map.of("name", "evented", "type", "bridge"), created.attributes());
      assertEquals(T0, created.time());
      EngineEvent destroyed = sub.next(1000);
      assertEquals("destroy", destroyed.action());
      assertEquals(n.id().hex(), destroyed.actorId());
      assertEquals(Map.of("name", "evented", "type", "bridge"), destroyed.attributes());
      assertNull(sub.next(0));
    }
  }

  @Test
  void refusedOperationsPublishNothing() throws InterruptedException {
    service.ensurePredefined();
    try (var sub = events.subscribe(T0)) {
      assertThrows(ForbiddenException.class, () -> service.remove("bridge"));
      assertThrows(ConflictException.class, () -> service.create(request("bridge")));
      assertNull(sub.next(0));
    }
  }
}
