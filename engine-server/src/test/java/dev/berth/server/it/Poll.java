package dev.berth.server.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, never a blind sleep. */
final class Poll {

  private static final long STEP_MILLIS = 20;

  private Poll() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(STEP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
