package dev.berth.server.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.events.EngineEvent;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventHandlersTest {

  private static final String ID = "a".repeat(64);
  private static final EngineEvent EXEC = new EngineEvent(EngineEvent.Type.CONTAINER, "exec_start: sh -c true", ID,
      Map.of("name", "web", "image", "busybox", "tier", "front"), Instant.parse("2026-01-01T00:00:01.5Z"));

  @Test
  void filtersCombineKeysAndAlternateValues() {
    assertTrue(EventHandlers.matches(Filters.parse("{\"event\":[\"exec_start\",\"die\"]}"), EXEC));
    assertTrue(EventHandlers.matches(Filters.parse("{\"container\":[\"web\"],\"type\":[\"container\"]}"), EXEC));
    assertTrue(EventHandlers.matches(Filters.parse("{\"container\":[\"aaaa\"]}"), EXEC), "ID prefixes match");
    assertTrue(EventHandlers.matches(Filters.parse("{\"label\":[\"tier=front\"],\"image\":[\"busybox\"]}"), EXEC));
    assertFalse(EventHandlers.matches(Filters.parse("{\"label\":[\"tier=back\"]}"), EXEC));
    assertFalse(EventHandlers.matches(Filters.parse("{\"type\":[\"image\"]}"), EXEC));
    assertFalse(EventHandlers.matches(Filters.parse("{\"event\":[\"exec\"]}"), EXEC), "exec is not exec_start");
  }

  @Test
  void containerEventsKeepTheDeprecatedKeysComposeReads() {
    @SuppressWarnings("unchecked")
    Map<String, Object> json = Json.MAPPER.convertValue(EventHandlers.json(EXEC), Map.class);
    assertEquals("exec_start: sh -c true", json.get("status"));
    assertEquals(ID, json.get("id"));
    assertEquals("busybox", json.get("from"));
    assertEquals("container", json.get("Type"));
    assertEquals(1767225601L, json.get("time"));
    assertEquals(1767225601_500_000_000L, json.get("timeNano"));
  }
}
