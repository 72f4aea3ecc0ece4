package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void fixedWidthWithNanoseconds() {
    assertEquals("2025-03-01T10:15:30.000000000Z", Timestamps.format(Instant.parse("2025-03-01T10:15:30Z")));
    assertEquals("2025-03-01T10:15:30.000000001Z", Timestamps.format(Instant.parse("2025-03-01T10:15:30.000000001Z")));
    assertEquals("0001-01-01T00:00:00.000000000Z", Timestamps.format(Instant.parse("0001-01-01T00:00:00Z")));
  }

  @Test
  void roundTripsAndSortsAsText() {
    var instants = List.of(
        Instant.parse("0001-01-01T00:00:00Z"),
        Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("2025-03-01T10:15:30Z"),
        Instant.parse("2025-03-01T10:15:30.000000001Z"),
        Instant.parse("2025-03-01T10:15:30.5Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"));
    for (int i = 0; i < instants.size(); i++) {
      assertEquals(instants.get(i), Timestamps.parse(Timestamps.format(instants.get(i))));
      if (i > 0) {
        assertTrue(Timestamps.format(instants.get(i - 1)).compareTo(Timestamps.format(instants.get(i))) < 0);
      }
    }
  }

  @Test
  void nullStaysNull() {
    assertNull(Timestamps.format(null));
    assertNull(Timestamps.parse(null));
  }
}
