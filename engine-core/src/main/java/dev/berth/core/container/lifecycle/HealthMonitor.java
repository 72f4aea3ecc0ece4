package dev.berth.core.container.lifecycle;

import dev.berth.core.container.exec.ExecService;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ExecConfig;
import dev.berth.core.container.model.Health;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.Healthcheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs containers' healthchecks on schedule through exec, and keeps {@code State.Health} by
 * dockerd's rules: a success makes it healthy; failures count only after the start period, and
 * {@code retries} failures in a row make it unhealthy. Health lives in memory: after a berthd
 * restart a running container is "starting" again until its next probe.
 */
final class HealthMonitor implements AutoCloseable {

  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
  static final int DEFAULT_RETRIES = 3;
  static final int MAX_OUTPUT = 4096;
  static final int LOG_ENTRIES = 5;
  private static final long MIN_NANOS = 1_000_000;

  private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());

  private final ExecService execs;
  private final ContainerEvents events;
  private final Clock clock;
  private final Map<ContainerId, Health> health = new ConcurrentHashMap<>();
  private final Map<ContainerId, Thread> probes = new ConcurrentHashMap<>();

  HealthMonitor(ExecService execs, ContainerEvents events, Clock clock) {
    this.execs = execs;
    this.events = events;
    this.clock = clock;
  }

  /** dockerd's checks on a healthcheck at create. */
  static void validate(Healthcheck h) {
    if (h == null) {
      return;
    }
    check(h.interval(), "Interval");
    check(h.timeout(), "Timeout");
    check(h.startPeriod(), "StartPeriod");
    check(h.startInterval(), "StartInterval");
    if (h.retries() < 0) {
      throw new InvalidArgumentException("Retries in Healthcheck cannot be negative");
    }
  }

  private static void check(long nanos, String what) {
    if (nanos != 0 && nanos < MIN_NANOS) {
      throw new InvalidArgumentException(what + " in Healthcheck cannot be less than 1ms");
    }
  }

  /** The command a healthcheck runs; empty when it has none or is disabled. */
  static Optional<List<String>> command(Healthcheck h) {
    if (h == null || h.test() == null || h.test().isEmpty()) {
      return Optional.empty();
    }
    List<String> t = h.test();
    return switch (t.getFirst()) {
      case "CMD" -> t.size() > 1 ? Optional.of(t.subList(1, t.size())) : Optional.empty();
      case "CMD-SHELL" -> t.size() > 1 ? Optional.of(List.of("/bin/sh", "-c", String.join(" ", t.subList(1, t.size()))))
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  Optional<Health> health(ContainerId id) {
    return Optional.ofNullable(health.get(id));
  }

  /** Starts probing a container that has just started (no-op without a healthcheck). */
  void watch(Container c, Instant startedAt) {
    Healthcheck h = c.config().healthcheck();
    Optional<List<String>> cmd = command(h);
    if (cmd.isEmpty()) {
      return;
    }
    stop(c.id());
    // As dockerd on every start: starting again, no failures counted, the earlier probes kept.
    health.compute(c.id(), (id, old) -> new Health(Health.STARTING, 0, old == null ? List.of() : old.log()));
    Thread t = Thread.ofVirtual().name("health-" + c.id().shortId()).start(() -> probeLoop(c, h, cmd.get(), startedAt));
    probes.put(c.id(), t);
  }

  /** Stops probing; the last health stays visible until the container runs again. */
  void stop(ContainerId id) {
    Thread t = probes.remove(id);
    if (t != null) {
      t.interrupt();
    }
  }

  void forget(ContainerId id) {
    stop(id);
    health.remove(id);
  }

  private void probeLoop(Container c, Healthcheck h, List<String> cmd, Instant startedAt) {
    Duration interval = orDefault(h.interval(), DEFAULT_INTERVAL);
    Duration startInterval = orDefault(h.startInterval(), DEFAULT_START_INTERVAL);
    Duration startPeriod = Duration.ofNanos(h.startPeriod());
    Duration timeout = orDefault(h.timeout(), DEFAULT_TIMEOUT);
    int retries = h.retries() == 0 ? DEFAULT_RETRIES : h.retries();
    var config = new ExecConfig(cmd, List.of(), "", "", false, false, false, true, true, null, 0, 0);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        boolean inStartPeriod = Duration.between(startedAt, clock.instant()).compareTo(startPeriod) < 0;
        Thread.sleep(inStartPeriod && !startPeriod.isZero() ? startInterval : interval);
        Instant start = clock.instant();
        ExecService.Result r;
        try {
          r = execs.run(c, config, timeout.toMillis(), MAX_OUTPUT);
        } catch (RuntimeException e) {
          r = new ExecService.Result(-1, e.getMessage() == null ? "" : e.getMessage(), false);
        }
        String output = r.timedOut() ? "Health check exceeded timeout (" + timeout.toSeconds() + "s)" : r.output();
        var probe = new Health.Probe(start, clock.instant(), r.exitCode(), output);
        boolean counts = Duration.between(startedAt, start).compareTo(startPeriod) >= 0;
        Health before = health.get(c.id());
        Health after = health.computeIfPresent(c.id(), (id, old) -> next(old, probe, counts, retries));
        if (after != null && (before == null || !before.status().equals(after.status()))) {
          events.emit(c, "health_status: " + after.status());
        }
      }
    } catch (InterruptedException e) {
      // the container stopped
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "healthcheck of " + c.id().shortId() + " stopped: " + e.getMessage());
    }
  }

  static Health next(Health old, Health.Probe probe, boolean counts, int retries) {
    var log = new ArrayList<>(old.log());
    log.add(probe);
    while (log.size() > LOG_ENTRIES) {
      log.removeFirst();
    }
    if (probe.exitCode() == 0) {
      return new Health(Health.HEALTHY, 0, log);
    }
    if (!counts) {
      return new Health(old.status(), old.failingStreak(), log);
    }
    int streak = old.failingStreak() + 1;
    return new Health(streak >= retries ? Health.UNHEALTHY : old.status(), streak, log);
  }

  private static Duration orDefault(long nanos, Duration fallback) {
    return nanos == 0 ? fallback : Duration.ofNanos(nanos);
  }

  @Override
  public void close() {
    probes.keySet().forEach(this::stop);
  }
}
