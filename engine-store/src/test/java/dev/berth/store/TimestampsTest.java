package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
  void readsWhatItWroteAsInstantParseDoes() {
    var random = new java.util.Random(42);
    long zero = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      var instant = Instant.ofEpochSecond(zero + Math.floorMod(random.nextLong(), last - zero + 1),
          random.nextInt(1_000_000_000));
      String text = Timestamps.format(instant);
      assertEquals(Instant.parse(text), Timestamps.parse(text), text);
      assertEquals(instant, Timestamps.parse(text), text);
    }
    for (String text : List.of("2024-02-29T23:59:59.999999999Z", "2000-02-29T00:00:00.000000000Z",
        "1970-01-01T00:00:00.000000000Z", "2038-01-19T03:14:08.000000000Z")) {
      assertEquals(Instant.parse(text), Timestamps.parse(text), text);
    }
  }

  @Test
  void otherRfc3339TextIsReadAndWhatInstantParseRefusesIsRefused() {
    assertEquals(Instant.parse("2025-03-01T10:15:30Z"), Timestamps.parse("2025-03-01T10:15:30Z"));
    assertEquals(Instant.parse("2025-03-01T10:15:30+01:00"), Timestamps.parse("2025-03-01T10:15:30+01:00"));
    assertThrows(java.time.DateTimeException.class, () -> Timestamps.parse("2023-02-29T00:00:00.000000000Z"));
  }

  @Test
  void nullStaysNull() {
    assertNull(Timestamps.format(null));
    assertNull(Timestamps.parse(null));
  }
}
