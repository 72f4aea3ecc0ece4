package dev.berth.core.logs;

import dev.berth.core.error.InvalidArgumentException;
import java.time.Instant;

/**
 * Which log records a reader wants, as {@code docker logs} asks for them.
 *
 * @param tail how many lines from the end (-1: all); a line is one complete record or a run of
 *     partial records and the complete one that ends it
 * @param since only records at or after this time (null: from the start)
 * @param until only records at or before this time (null: no end); ends a follow as well
 * @param follow keep reading what is appended while the container runs
 */
public record LogQuery(boolean stdout, boolean stderr, int tail, Instant since, Instant until, boolean follow) {

  public LogQuery {
    if (tail < -1) {
      throw new InvalidArgumentException("invalid tail: " + tail);
    }
  }

  public static LogQuery all() {
    return new LogQuery(true, true, -1, null, null, false);
  }
}
