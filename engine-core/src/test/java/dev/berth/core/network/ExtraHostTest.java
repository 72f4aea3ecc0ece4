package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** dockerd's ValidateExtraHost and Go's netip.ParseAddr, as berth reads --add-host. */
class ExtraHostTest {

  @Test
  void splitsOnTheFirstColonSoTheAddressMayBeIpv6() {
    assertEquals(new ExtraHost("db", "10.0.0.1"), ExtraHost.parse("db:10.0.0.1"));
    assertEquals(new ExtraHost("v6", "fd00::1"), ExtraHost.parse("v6:fd00::1"));
    assertEquals(new ExtraHost("ll", "fe80::1%eth0"), ExtraHost.parse("ll:fe80::1%eth0"));
    assertTrue(ExtraHost.parse("host.docker.internal:host-gateway").isHostGateway());
  }

  @Test
  void refusesWhatDockerdRefusesInItsWords() {
    assertEquals("bad format for add-host: \"nocolon\"", message("nocolon"));
    assertEquals("bad format for add-host: \":10.0.0.1\"", message(":10.0.0.1"));
    assertEquals("invalid IP address in add-host: \"nope\"", message("db:nope"));
    assertEquals("invalid IP address in add-host: \"\"", message("db:"));
    assertEquals("invalid IP address in add-host: \"10.0.0.256\"", message("db:10.0.0.256"));
    assertEquals("invalid IP address in add-host: \"010.0.0.1\"", message("db:010.0.0.1"));
    assertEquals("invalid IP address in add-host: \"[::1]\"", message("db:[::1]"));
    assertEquals("invalid IP address in add-host: \" 10.0.0.1\"", message("db: 10.0.0.1"));
    assertFalse(ExtraHost.isAddress("example.com"));
  }

  private static String message(String entry) {
    return assertThrows(InvalidArgumentException.class, () -> ExtraHost.parse(entry)).getMessage();
  }
}
