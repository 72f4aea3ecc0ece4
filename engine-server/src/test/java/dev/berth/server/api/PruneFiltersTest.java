package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** label, label! and until of the prune endpoints. */
class PruneFiltersTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Set<String> ALL = Set.of("label", "label!", "until");

  @Test
  void untilTakesDurationsUnixSecondsAndDates() {
    assertEquals(NOW.minusSeconds(86400), PruneFilters.time("24h", NOW));
    assertEquals(NOW.minusSeconds(5400), PruneFilters.time("1h30m", NOW));
    assertEquals(Instant.ofEpochSecond(1700000000, 500_000_000), PruneFilters.time("1700000000.5", NOW));
    assertEquals(Instant.parse("2025-01-02T00:00:00Z"), PruneFilters.time("2025-01-02", NOW));
    assertEquals(Instant.parse("2025-01-02T03:04:05Z"), PruneFilters.time("2025-01-02T03:04:05Z", NOW));
    assertEquals(Instant.parse("2025-01-02T01:04:05Z"), PruneFilters.time("2025-01-02T03:04:05+02:00", NOW));
    assertThrows(InvalidArgumentException.class, () -> PruneFilters.time("yesterday", NOW));
  }

  @Test
  void labelsAndOneUntil() {
    var f = PruneFilters.parse(Filters.parse("{\"label\":[\"a=b\"],\"label!\":[\"keep\"],\"until\":[\"1h\"]}"), ALL,
        NOW);
    assertEquals(List.of("a=b"), f.labels());
    assertEquals(List.of("keep"), f.notLabels());
    assertEquals(NOW.minusSeconds(3600), f.until());
    assertEquals("more than one until filter specified", assertThrows(InvalidArgumentException.class,
        () -> PruneFilters.parse(Filters.parse("{\"until\":[\"1h\",\"2h\"]}"), ALL, NOW)).getMessage());
    assertEquals("invalid filter 'dangling'", assertThrows(InvalidArgumentException.class,
        () -> PruneFilters.parse(Filters.parse("{\"dangling\":[\"1\"]}"), ALL, NOW)).getMessage());
  }
}
