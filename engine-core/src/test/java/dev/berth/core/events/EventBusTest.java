package dev.berth.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
