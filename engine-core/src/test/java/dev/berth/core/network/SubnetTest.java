package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** IPv4 CIDR arithmetic: parsing, formatting, masking and overlap. */
class SubnetTest {

  private static String refusal(String cidr) {
    return assertThrows(InvalidArgumentException.class, () -> Subnet.parse(cidr)).getMessage();
  }

  private static String addressRefusal(String dotted) {
    return assertThrows(InvalidArgumentException.class, () -> Subnet.address(dotted)).getMessage();
  }

  @Test
  void parseAndFormatRoundTrip() {
    Subnet s = Subnet.parse("172.18.0.0/16");
    assertEquals(0xAC120000, s.base());
    assertEquals(16, s.prefix());
    assertEquals("172.18.0.0/16", s.toString());
  }

  @Test
  void theBaseIsMaskedToThePrefix() {
    assertEquals("10.1.2.0/24", Subnet.parse("10.1.2.3/24").toString());
    assertEquals("10.0.0.0/8", new Subnet(Subnet.address("10.255.255.255"), 8).toString());
    assertEquals(Subnet.parse("10.1.2.0/24"), Subnet.parse("10.1.2.200/24"));
  }

  @Test
  void addressAndFormatCoverTheWholeRange() {
    assertEquals(0, Subnet.address("0.0.0.0"));
    assertEquals(-1, Subnet.address("255.255.255.255"));
    assertEquals(0xC0A80101, Subnet.address("192.168.1.1"));
    assertEquals("255.255.255.255", Subnet.format(-1));
    assertEquals("128.0.0.1", Subnet.format(0x80000001));
    assertEquals("0.0.0.0", Subnet.format(0));
  }

  @Test
  void prefixZeroIsTheWholeAddressSpace() {
    Subnet all = Subnet.parse("1.2.3.4/0");
    assertEquals("0.0.0.0/0", all.toString());
    assertTrue(all.contains(Subnet.address("255.255.255.255")));
    assertTrue(all.contains(Subnet.address("0.0.0.0")));
    assertTrue(all.overlaps(Subnet.parse("10.0.0.0/8")));
    assertEquals(1L << 32, all.size());
  }

  @Test
  void prefixThirtyTwoIsASingleAddress() {
    Subnet one = Subnet.parse("10.0.0.7/32");
    assertEquals("10.0.0.7/32", one.toString());
    assertTrue(one.contains(Subnet.address("10.0.0.7")));
    assertFalse(one.contains(Subnet.address("10.0.0.6")));
    assertFalse(one.contains(Subnet.address("10.0.0.8")));
    assertEquals(1, one.size());
  }

  @Test
  void containsAnAddressOnlyInsideTheSubnet() {
    Subnet s = Subnet.parse("192.168.16.0/20");
    assertTrue(s.contains(Subnet.address("192.168.16.0")));
    assertTrue(s.contains(Subnet.address("192.168.31.255")));
    assertFalse(s.contains(Subnet.address("192.168.32.0")));
    assertFalse(s.contains(Subnet.address("192.168.15.255")));
  }

  @Test
  void containsASmallerSubnetButNotALargerOne() {
    Subnet s = Subnet.parse("10.0.0.0/16");
    assertTrue(s.contains(Subnet.parse("10.0.5.0/24")));
    assertTrue(s.contains(s));
    assertFalse(s.contains(Subnet.parse("10.0.0.0/8")));
    assertFalse(s.contains(Subnet.parse("10.1.0.0/24")));
  }

  @Test
  void aSubnetOverlapsOneInsideItAndOneAroundIt() {
    Subnet s = Subnet.parse("172.18.0.0/16");
    assertTrue(s.overlaps(Subnet.parse("172.18.3.0/24")));
    assertTrue(Subnet.parse("172.18.3.0/24").overlaps(s));
    assertTrue(s.overlaps(Subnet.parse("172.16.0.0/12")));
    assertTrue(s.overlaps(s));
  }

  @Test
  void neighbouringSubnetsDoNotOverlap() {
    assertFalse(Subnet.parse("172.18.0.0/16").overlaps(Subnet.parse("172.19.0.0/16")));
    assertFalse(Subnet.parse("10.0.0.0/25").overlaps(Subnet.parse("10.0.0.128/25")));
  }

  @Test
  void atCountsFromTheBaseAndSizeCountsEveryAddress() {
    Subnet s = Subnet.parse("10.9.8.0/24");
    assertEquals("10.9.8.1", Subnet.format(s.at(1)));
    assertEquals("10.9.8.255", Subnet.format(s.at(255)));
    assertEquals(256, s.size());
  }

  @Test
  void aCidrWithoutAPrefixIsRefused() {
    assertEquals("invalid CIDR address: 10.0.0.0", refusal("10.0.0.0"));
    assertEquals("invalid CIDR address: null", refusal(null));
    assertEquals("invalid CIDR address: 10.0.0.0/", refusal("10.0.0.0/"));
    assertEquals("invalid CIDR address: 10.0.0.0/x", refusal("10.0.0.0/x"));
  }

  @Test
  void aPrefixOutOfRangeIsRefused() {
    assertEquals("invalid CIDR prefix length: 33", refusal("10.0.0.0/33"));
    assertEquals("invalid CIDR prefix length: 64", refusal("10.0.0.0/64"));
    assertThrows(InvalidArgumentException.class, () -> new Subnet(0, 33));
  }

  @Test
  void aBadAddressInACidrIsRefused() {
    assertEquals("invalid IP address: 10.0.0", refusal("10.0.0/8"));
    assertEquals("invalid IP address: 300.0.0.0", refusal("300.0.0.0/8"));
  }

  @Test
  void badDottedQuadsAreRefused() {
    for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "1.2.3.", "1..3.4", "a.b.c.d", "256.1.1.1", "1.2.3.-1",
        "0001.2.3.4"}) {
      assertEquals("invalid IP address: " + bad, addressRefusal(bad), bad);
    }
    assertEquals("invalid IP address: null", addressRefusal(null));
  }

  @Test
  void signedOctetsAndPrefixesAreRefused() {
    assertEquals("invalid IP address: +1.2.3.4", addressRefusal("+1.2.3.4"));
    assertEquals("invalid IP address: 1.2.3.-0", addressRefusal("1.2.3.-0"));
    assertEquals("invalid CIDR address: 10.0.0.0/+8", refusal("10.0.0.0/+8"));
    assertEquals("invalid CIDR address: 10.0.0.0/-1", refusal("10.0.0.0/-1"));
  }
}
