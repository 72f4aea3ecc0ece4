package dev.berth.server.system;

import dev.berth.core.events.EngineEvent;
import dev.berth.server.api.JsonShapes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed event is the one the Map-built event was: fields, order, and the deprecated keys where sent. */
class EventJsonTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:01.000000123Z");
  /** The old Actor was a Map.of, its field order a hash's; attributes are the event's own map. */
  private static final Set<String> HASHED = Set.of("/Actor", "/Actor/Attributes");

  private static void assertSameAsBefore(EngineEvent e) {
    JsonShapes.assertSame(legacy(e), EventHandlers.json(e), HASHED);
  }

  @Test
  void containerEventsWithAndWithoutAnImage() {
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.CONTAINER, "die", "c".repeat(64),
        Map.of("name", "web", "image", "busybox", "exitCode", "0"), T));
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.CONTAINER, "exec_start: sh", "c".repeat(64),
        Map.of("name", "web"), T));
  }

  @Test
  void imageVolumeAndNetworkEvents() {
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.IMAGE, "pull", "busybox:latest",
        Map.of("name", "busybox", "image", "busybox:latest"), T));
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.VOLUME, "create", "data", Map.of("driver", "local"), T));
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.NETWORK, "connect", "n".repeat(64),
        Map.of("container", "c".repeat(64), "name", "net", "type", "bridge", "image", "x"), T));
    assertSameAsBefore(new EngineEvent(EngineEvent.Type.NETWORK, "create", "n".repeat(64), Map.of(), T));
  }

  // ---- the Map-built event berth sent before the typed records (the oracle)

  private static Map<String, Object> legacy(EngineEvent e) {
    var out = new LinkedHashMap<String, Object>();
    if (e.type() == EngineEvent.Type.CONTAINER || e.type() == EngineEvent.Type.IMAGE) {
      out.put("status", e.action());
      out.put("id", e.actorId());
      if (e.type() == EngineEvent.Type.CONTAINER && e.attributes().containsKey("image")) {
        out.put("from", e.attributes().get("image"));
      }
    }
    out.put("Type", e.type().wire());
    out.put("Action", e.action());
    out.put("Actor", Map.of("ID", e.actorId(), "Attributes", e.attributes()));
    out.put("scope", "local");
    out.put("time", e.time().getEpochSecond());
    out.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
    return out;
  }
}
