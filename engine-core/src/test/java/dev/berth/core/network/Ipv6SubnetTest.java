package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv6SubnetTest {

  @Test
  void addressesAreWrittenAsGoWritesThem() {
    assertEquals("fd00::1", Ipv6Subnet.normal("FD00:0:0:0:0:0:0:1"));
    assertEquals("::", Ipv6Subnet.normal("::"));
    assertEquals("::1", Ipv6Subnet.normal("0:0:0:0:0:0:0:1"));
    assertEquals("fd00:0:1::1", Ipv6Subnet.normal("fd00:0:1:0:0:0:0:1"));
    // A single zero group stays; of two equal runs the first is shortened.
    assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Subnet.normal("2001:db8:0:1:1:1:1:1"));
    assertEquals("2001:0:0:1::1", Ipv6Subnet.normal("2001:0:0:1:0:0:0:1"));
    assertEquals("1::1:0:0:1:0", Ipv6Subnet.normal("1:0:0:1:0:0:1:0"));
    assertEquals("1:0:0:1::1", Ipv6Subnet.normal("1:0:0:1:0:0:0:1"));
  }

  @Test
  void onlyIpv6LiteralsAreAddresses() {
    for (String bad : List.of("10.0.0.1", "::ffff:10.0.0.1", "fe80::1%eth0", "[::1]", "example.com", "1:2:3", "")) {
      var e = assertThrows(InvalidArgumentException.class, () -> Ipv6Subnet.address(bad), bad);
      assertEquals("invalid IPv6 address: " + bad, e.getMessage());
    }
  }

  @Test
  void aSubnetIsMaskedAndContainsItsAddresses() {
    var s = Ipv6Subnet.parse("fd12:3456:789a:1::5/64");
    assertEquals("fd12:3456:789a:1::/64", s.toString());
    assertTrue(s.contains(Ipv6Subnet.address("fd12:3456:789a:1:ffff::1")));
    assertFalse(s.contains(Ipv6Subnet.address("fd12:3456:789a:2::1")));
    assertEquals("fd12:3456:789a:1::1", Ipv6Subnet.format(s.at(1)));
    assertEquals("fd12:3456:789a:1:ffff:ffff:ffff:ffff", Ipv6Subnet.format(s.last()));
    assertTrue(s.overlaps(Ipv6Subnet.parse("fd12:3456:789a::/48")));
    assertFalse(s.overlaps(Ipv6Subnet.parse("fd12:3456:789a:2::/64")));
    assertEquals("fd12:3456:789a:3::/64", Ipv6Subnet.parse("fd12:3456:789a::/48").child(64, 3).toString());
    assertThrows(InvalidArgumentException.class, () -> Ipv6Subnet.parse("fd12::/129"));
    assertThrows(InvalidArgumentException.class, () -> Ipv6Subnet.parse("fd12::"));
    assertThrows(InvalidArgumentException.class, () -> Ipv6Subnet.parse("10.0.0.0/8"));
  }

  @Test
  void theEnginesUlaIsAStableSlash48UnderFd() {
    Ipv6Subnet a = AddressPools.ula("engine-a");
    assertEquals(a, AddressPools.ula("engine-a"));
    assertEquals(48, a.prefix());
    assertTrue(a.toString().startsWith("fd"), a.toString());
    assertFalse(a.equals(AddressPools.ula("engine-b")));
  }
}
