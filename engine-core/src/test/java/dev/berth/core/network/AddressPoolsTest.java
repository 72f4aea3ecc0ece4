package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Picking a free subnet from the pools, around other networks and the host's routes. */
class AddressPoolsTest {

  private static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

  @TempDir
  Path tmp;

  private static Subnet s(String cidr) {
    return Subnet.parse(cidr);
  }

  /** A /proc/net/route line: destination and mask in little-endian hex, as the kernel writes them. */
  private static String route(String iface, String cidr) {
    Subnet n = s(cidr);
    int mask = n.prefix() == 0 ? 0 : -1 << (32 - n.prefix());
    return String.format("%s\t%08X\t00000000\t0001\t0\t0\t0\t%08X\t0\t0\t0", iface, Integer.reverseBytes(n.base()),
        Integer.reverseBytes(mask));
  }

  private Path routes(String... lines) throws IOException {
    Path file = tmp.resolve("route");
    Files.writeString(file, HEADER + "\n" + String.join("\n", lines) + "\n");
    return file;
  }

  private AddressPools defaults(Path routes) {
    return new AddressPools(AddressPools.DEFAULT, routes);
  }

  @Test
  void theDefaultsAreDockerdsPools() {
    assertEquals(16, AddressPools.DEFAULT.size());
    assertEquals(new AddressPools.Pool(s("172.17.0.0/16"), 16), AddressPools.DEFAULT.getFirst());
    assertEquals(new AddressPools.Pool(s("172.31.0.0/16"), 16), AddressPools.DEFAULT.get(14));
    assertEquals(new AddressPools.Pool(s("192.168.0.0/16"), 20), AddressPools.DEFAULT.getLast());
  }

  @Test
  void ofHostFallsBackToTheDefaultsAndReadsTheKernelsRoutes() {
    AddressPools host = AddressPools.ofHost(List.of());
    assertEquals(AddressPools.DEFAULT, host.pools());
    assertEquals(Path.of("/proc/net/route"), host.routes());
    var custom = List.of(new AddressPools.Pool(s("10.10.0.0/16"), 24));
    assertEquals(custom, AddressPools.ofHost(custom).pools());
  }

  @Test
  void theFirstPoolComesFirstWhenNothingIsTaken() {
    assertEquals(Optional.of(s("172.17.0.0/16")), defaults(tmp.resolve("absent")).next(List.of()));
  }

  @Test
  void subnetsOfOtherNetworksAreSkipped() {
    AddressPools p = defaults(tmp.resolve("absent"));
    assertEquals(Optional.of(s("172.19.0.0/16")), p.next(List.of(s("172.17.0.0/16"), s("172.18.0.0/16"))));
  }

  @Test
  void aSmallerNetworkInsideACandidateStillTakesIt() {
    AddressPools p = defaults(tmp.resolve("absent"));
    assertEquals(Optional.of(s("172.18.0.0/16")), p.next(List.of(s("172.17.200.0/24"))));
  }

  @Test
  void aLargerNetworkAroundCandidatesTakesThemAll() {
    AddressPools p = defaults(tmp.resolve("absent"));
    assertEquals(Optional.of(s("192.168.0.0/20")), p.next(List.of(s("172.16.0.0/12"))));
  }

  @Test
  void hostRoutesAreSkipped() throws IOException {
    AddressPools p = defaults(routes(route("eth0", "172.17.0.0/16"), route("wg0", "172.18.0.0/16")));
    assertEquals(Optional.of(s("172.19.0.0/16")), p.next(List.of()));
  }

  @Test
  void aHostRouteToOneAddressTakesItsWholeCandidate() throws IOException {
    AddressPools p = defaults(routes(route("tun0", "172.17.5.9/32")));
    assertEquals(Optional.of(s("172.18.0.0/16")), p.next(List.of()));
  }

  @Test
  void theDefaultRouteIsIgnored() throws IOException {
    Path file = routes("eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
        route("eth0", "192.168.1.0/24"));
    AddressPools p = defaults(file);
    assertEquals(List.of(s("192.168.1.0/24")), p.hostRoutes());
    assertEquals(Optional.of(s("172.17.0.0/16")), p.next(List.of()));
  }

  @Test
  void routesAreReadLittleEndian() throws IOException {
    // 10.1.2.0/24 as the kernel writes it: bytes reversed.
    Path file = routes("eth1\t0002010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
    assertEquals(List.of(s("10.1.2.0/24")), defaults(file).hostRoutes());
  }

  @Test
  void shortAndMalformedRouteLinesAreSkipped() throws IOException {
    Path file = routes("eth0\t0000A8C0", "", route("eth0", "172.17.0.0/16"));
    assertEquals(List.of(s("172.17.0.0/16")), defaults(file).hostRoutes());
  }

  @Test
  void aMissingRoutesFileMeansNoRoutes() {
    assertEquals(List.of(), defaults(tmp.resolve("absent")).hostRoutes());
  }

  @Test
  void customPoolsAreCarvedIntoSubnetsOfTheirSize() {
    var p = new AddressPools(List.of(new AddressPools.Pool(s("10.10.0.0/16"), 24)), tmp.resolve("absent"));
    assertEquals(Optional.of(s("10.10.0.0/24")), p.next(List.of()));
    assertEquals(Optional.of(s("10.10.2.0/24")), p.next(List.of(s("10.10.0.0/24"), s("10.10.1.0/24"))));
  }

  @Test
  void laterPoolsAreUsedWhenEarlierOnesAreFull() {
    var p = new AddressPools(List.of(new AddressPools.Pool(s("10.10.0.0/23"), 24),
        new AddressPools.Pool(s("10.20.0.0/16"), 24)), tmp.resolve("absent"));
    assertEquals(Optional.of(s("10.20.0.0/24")), p.next(List.of(s("10.10.0.0/24"), s("10.10.1.0/24"))));
  }

  @Test
  void exhaustedPoolsGiveNothing() {
    var p = new AddressPools(List.of(new AddressPools.Pool(s("10.10.0.0/23"), 24)), tmp.resolve("absent"));
    assertEquals(Optional.empty(), p.next(List.of(s("10.10.0.0/24"), s("10.10.1.0/24"))));
    assertEquals(Optional.empty(), p.next(List.of(s("10.0.0.0/8"))));
  }

  @Test
  void routesCanExhaustThePoolsToo() throws IOException {
    var p = new AddressPools(List.of(new AddressPools.Pool(s("10.10.0.0/23"), 24)),
        routes(route("eth0", "10.10.0.0/23")));
    assertEquals(Optional.empty(), p.next(List.of()));
  }

  @Test
  void thePoolsListIsCopied() {
    var pools = new java.util.ArrayList<>(List.of(new AddressPools.Pool(s("10.10.0.0/16"), 24)));
    var p = new AddressPools(pools, tmp.resolve("absent"));
    pools.clear();
    assertEquals(1, p.pools().size());
    assertTrue(p.next(List.of()).isPresent());
  }
}
