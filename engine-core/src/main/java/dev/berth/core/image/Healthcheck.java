package dev.berth.core.image;

import java.util.List;

/**
 * A healthcheck as images and containers declare it. Durations are nanoseconds, 0 meaning
 * "inherit / default", exactly as Docker stores them.
 *
 * @param test {@code ["NONE"]}, {@code ["CMD", ...]} or {@code ["CMD-SHELL", "..."]}; null inherits
 */
public record Healthcheck(
    List<String> test, long interval, long timeout, long startPeriod, long startInterval, int retries) {

  public Healthcheck {
    test = test == null ? null : List.copyOf(test);
  }
}
