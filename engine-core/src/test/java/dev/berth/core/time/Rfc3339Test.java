package dev.berth.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

  @Test
  void timesReadAsInstantParseReadsThem() {
    for (String t : List.of("2026-12-07T01:02:03Z", "2026-12-07T01:02:03.1Z", "2026-12-07T01:02:03.123456789Z",
        "2026-12-07T01:02:03.000000001Z", "1999-02-28T23:59:59.5Z", "2024-02-29T23:59:59.999999999Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-12-07T01:02:03.12+01:00")) {
      assertEquals(Instant.parse(t), Rfc3339.parse(t), t);
      assertEquals(Instant.parse(t), Rfc3339.parse(t.getBytes(StandardCharsets.UTF_8)), t);
    }
  }

  @Test
  void randomTimesAsTheStoreWritesThemReadBack() {
    var random = new Random(42);
    long zero = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      var instant = Instant.ofEpochSecond(zero + Math.floorMod(random.nextLong(), last - zero + 1),
          random.nextInt(1_000_000_000));
      assertEquals(instant, Rfc3339.parse(instant.toString()), instant.toString());
    }
  }

  @Test
  void whatInstantParseRefusesIsRefused() {
    for (String bad : List.of("2026-02-30T01:02:03Z", "2023-02-29T00:00:00.000000000Z", "2025-13-01T00:00:00Z",
        "2025-04-31T00:00:00Z", "2025-03-01T24:00:01Z", "2025-03-01T10:60:00Z",
        "2025-03-01T10:15:30.00000000xZ", "2025-03-01T10:15:30.1234567891Z", "2025-03-01 10:15:30Z", "yesterday",
        "2025-03-01T10:15:30Ż")) {
      assertThrows(DateTimeException.class, () -> Rfc3339.parse(bad), bad);
      assertThrows(DateTimeException.class, () -> Rfc3339.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
    }
  }
}
