package dev.berth.store;

import dev.berth.core.time.Rfc3339;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Instants as stored: RFC 3339 text in UTC with exactly nine fraction digits,
 * {@code 2024-05-01T12:00:00.123456789Z}.
 *
 * <p>Text rather than epoch nanoseconds because Docker's zero time, 0001-01-01, is about
 * -6.2e19 ns, outside a signed 64-bit integer. The fixed width makes text order equal time
 * order, so {@code ORDER BY created} and {@code max(tagged_at)} need no conversion, and the
 * sqlite3 shell shows readable times.
 */
public final class Timestamps {

  private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder().appendInstant(9).toFormatter();

  private Timestamps() {}

  /** Null stays null: several state times are unset until something happens. */
  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }

  /**
   * What {@link #format} wrote is read field by field ({@link Rfc3339}); anything else as
   * {@code Instant.parse} reads it.
   */
  public static Instant parse(String text) {
    return text == null ? null : Rfc3339.parse(text);
  }
}
