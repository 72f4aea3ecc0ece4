package dev.berth.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBusTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final class StepClock extends Clock {
    private Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void sinceReplaysOnlyLaterEventsThenFollows() throws InterruptedException {
    var clock = new StepClock();
    var bus = new EventBus(clock);
    bus.publish(EngineEvent.Type.CONTAINER, "create", "a", Map.of());
    clock.now = T0.plusSeconds(10);
    bus.publish(EngineEvent.Type.CONTAINER, "start", "a", Map.of());
    try (var sub = bus.subscribe(T0.plusSeconds(5))) {
      assertEquals("start", sub.next(0).action());
      assertNull(sub.next(0));
      bus.publish(EngineEvent.Type.CONTAINER, "die", "a", Map.of("exitCode", "0"));
      assertEquals("die", sub.next(0).action());
    }
  }

  @Test
  void withoutSinceOnlyNewEventsArrive() throws InterruptedException {
    var bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    bus.publish(EngineEvent.Type.IMAGE, "tag", "busybox:latest", Map.of());
    try (var sub = bus.subscribe(null)) {
      assertNull(sub.next(0));
    }
  }

  @Test
  void historyKeepsTheLatestEvents() throws InterruptedException {
    var bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    for (int i = 0; i < EventBus.HISTORY + 10; i++) {
      bus.publish(EngineEvent.Type.CONTAINER, "e" + i, "a", Map.of());
    }
    try (var sub = bus.subscribe(T0)) {
      assertEquals("e10", sub.next(0).action());
    }
  }

  /** Issue 10: a follower that never drains is dropped with its memory; the others miss nothing. */
  @Test
  void aFollowerThatStopsReadingIsDroppedAndTheOthersKeepEveryEventInOrder() throws Exception {
    var bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    int total = 10 * EventBus.BACKLOG;
    var stuck = bus.subscribe(null);
    var ends = new java.util.concurrent.atomic.AtomicInteger();
    stuck.onEnd(ends::incrementAndGet);
    var reader = bus.subscribe(null);
    var received = new java.util.ArrayList<String>();
    var drain = Thread.ofVirtual().start(() -> {
      try {
        while (received.size() < total) {
          EngineEvent e = reader.next(10_000);
          if (e == null) {
            return;
          }
          received.add(e.action());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    int mostPending = 0;
    for (int i = 0; i < total; i++) {
      bus.publish(EngineEvent.Type.CONTAINER, "e" + i, "a", Map.of());
      mostPending = Math.max(mostPending, stuck.pending());
      // A live reader keeps up: wait for it rather than let this loop outrun its thread.
      while (reader.pending() > EventBus.BACKLOG / 2) {
        Thread.yield();
      }
    }
    drain.join(java.time.Duration.ofSeconds(30));

    assertTrue(mostPending <= EventBus.BACKLOG, "queue grew to " + mostPending);
    assertTrue(stuck.ended());
    assertEquals(0, stuck.pending(), "a dropped follower's queue is released");
    assertNull(stuck.next(0));
    assertEquals(1, ends.get(), "the end hook runs once");
    var late = new java.util.concurrent.atomic.AtomicBoolean();
    stuck.onEnd(() -> late.set(true));
    assertTrue(late.get(), "a hook added after the end runs at once");
    assertEquals(1, bus.followers(), "only the reader still follows");

    assertFalse(reader.ended());
    assertEquals(total, received.size());
    for (int i = 0; i < total; i++) {
      assertEquals("e" + i, received.get(i));
    }
    reader.close();
    stuck.close();
    assertEquals(0, bus.followers());
  }

  @Test
  void eventsAFilterRejectsDoNotCountAgainstTheBacklog() throws InterruptedException {
    var bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    try (var sub = bus.subscribe(null, e -> e.action().equals("die"))) {
      for (int i = 0; i < 3 * EventBus.BACKLOG; i++) {
        bus.publish(EngineEvent.Type.CONTAINER, "start", "a", Map.of());
      }
      bus.publish(EngineEvent.Type.CONTAINER, "die", "a", Map.of());
      assertFalse(sub.ended());
      assertEquals("die", sub.next(0).action());
    }
  }

  @Test
  void aReplayDoesNotUseUpTheBacklog() throws InterruptedException {
    var bus = new EventBus(Clock.fixed(T0, ZoneOffset.UTC));
    for (int i = 0; i < EventBus.HISTORY; i++) {
      bus.publish(EngineEvent.Type.CONTAINER, "old" + i, "a", Map.of());
    }
    try (var sub = bus.subscribe(T0)) {
      for (int i = 0; i < EventBus.BACKLOG; i++) {
        bus.publish(EngineEvent.Type.CONTAINER, "new" + i, "a", Map.of());
      }
      assertFalse(sub.ended());
      assertEquals("old0", sub.next(0).action());
    }
  }
}
