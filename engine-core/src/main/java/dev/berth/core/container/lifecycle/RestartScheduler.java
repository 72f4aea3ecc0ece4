package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.RestartPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restart policies: whether an exited container starts again, and when. The delay follows
 * dockerd's: 100 ms, doubling with each restart up to a minute, back to 100 ms once a run lasted
 * ten seconds.
 */
final class RestartScheduler implements AutoCloseable {

  static final Duration FIRST_DELAY = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofMinutes(1);
  static final Duration STABLE_RUN = Duration.ofSeconds(10);

  private final Scheduler scheduler;
  private final Map<ContainerId, Duration> delays = new ConcurrentHashMap<>();
  private final Map<ContainerId, Scheduler.Scheduled> pending = new ConcurrentHashMap<>();

  RestartScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** dockerd's rules: a stop a client asked for is never undone; on-failure counts its retries. */
  static boolean shouldRestart(RestartPolicy policy, int restartCount, int exitCode, boolean stoppedByUser) {
    if (stoppedByUser) {
      return false;
    }
    return switch (policy.name()) {
      case "always", "unless-stopped" -> true;
      case "on-failure" -> exitCode != 0 && (policy.maxRetryCount() == 0 || restartCount < policy.maxRetryCount());
      default -> false;
    };
  }

  /** The delay before the next restart of a container whose last run lasted {@code ranFor}. */
  Duration nextDelay(ContainerId id, Duration ranFor) {
    return delays.compute(id, (k, last) -> {
      if (last == null || ranFor.compareTo(STABLE_RUN) >= 0) {
        return FIRST_DELAY;
      }
      Duration doubled = last.multipliedBy(2);
      return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    });
  }

  /** Runs {@code restart} on a thread of its own after {@code delay}, replacing any pending one. */
  void schedule(ContainerId id, Duration delay, Runnable restart) {
    Scheduler.Scheduled s = scheduler.schedule("restart-" + id.shortId(), delay, () -> {
      pending.remove(id);
      restart.run();
    });
    Scheduler.Scheduled old = pending.put(id, s);
    if (old != null) {
      old.cancel();
    }
  }

  /** Cancels a pending restart; true if there was one. */
  boolean cancel(ContainerId id) {
    Scheduler.Scheduled s = pending.remove(id);
    return s != null && s.cancel();
  }

  void forget(ContainerId id) {
    cancel(id);
    delays.remove(id);
  }

  /** Drops every pending restart (berthd is stopping; the next one restarts them). */
  @Override
  public void close() {
    pending.keySet().forEach(this::cancel);
  }
}
