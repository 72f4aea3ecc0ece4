package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's {@code time.RFC3339Nano}: the fraction loses its trailing zeros, and a whole second has none. */
class WireTimeTest {

  @ParameterizedTest
  @CsvSource({
      "2024-01-02T03:04:05Z,           2024-01-02T03:04:05Z",
      "2024-01-02T03:04:05.000Z,       2024-01-02T03:04:05Z",
      "2024-01-02T03:04:05.5Z,         2024-01-02T03:04:05.5Z",
      "2024-01-02T03:04:05.120Z,       2024-01-02T03:04:05.12Z",
      "2024-01-02T03:04:05.100000000Z, 2024-01-02T03:04:05.1Z",
      "2024-01-02T03:04:05.000001Z,    2024-01-02T03:04:05.000001Z",
      "2024-01-02T03:04:05.000000010Z, 2024-01-02T03:04:05.00000001Z",
      "2024-01-02T03:04:05.123456789Z, 2024-01-02T03:04:05.123456789Z",
      "2024-01-02T03:04:05.123456780Z, 2024-01-02T03:04:05.12345678Z",
      "1970-01-01T00:00:00Z,           1970-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z,           0001-01-01T00:00:00Z"})
  void formatsLikeGoRfc3339Nano(String instant, String expected) {
    assertEquals(expected, WireTime.format(Instant.parse(instant)));
  }
}
