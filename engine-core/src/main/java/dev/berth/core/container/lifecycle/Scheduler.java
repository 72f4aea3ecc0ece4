package dev.berth.core.container.lifecycle;

import java.time.Duration;

/**
 * Runs work after a delay: restarts by policy, and the end of a stop's grace period. The
 * lifecycle lets time pass only through this, so a test can run its delays by hand.
 */
interface Scheduler extends AutoCloseable {

  /**
   * Runs {@code task} once, after {@code delay}, on a thread of its own.
   *
   * @param name names the thread, for thread dumps
   */
  Scheduled schedule(String name, Duration delay, Runnable task);

  /** Drops every task not yet run. */
  @Override
  void close();

  /** A task waiting for its time. */
  interface Scheduled {

    /** Drops the task; false if it has already begun. */
    boolean cancel();
  }
}
