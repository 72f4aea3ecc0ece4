package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 11: JSON null in a list or map of strings is Go's zero value, "", as dockerd reads it. */
class JsonNullsTest {

  record Body(Map<String, String> Labels, List<String> Env, Set<String> Names, Map<String, Map<String, Object>> Ports,
      Map<String, Inner> Endpoints) {}

  record Inner(String Name) {}

  @Test
  void nullStringsInCollectionsAreEmptyStrings() {
    Body b = Json.read(("{\"Labels\":{\"a\":null,\"b\":\"c\"},\"Env\":[\"A=1\",null],\"Names\":[null],"
        + "\"Ports\":{\"80/tcp\":null},\"Endpoints\":{\"bridge\":null}}").getBytes(StandardCharsets.UTF_8), Body.class,
        null);
    assertEquals(Map.of("a", "", "b", "c"), b.Labels());
    assertEquals(List.of("A=1", ""), b.Env());
    assertEquals(Set.of(""), b.Names());
    // Only strings: a null object stays absent, as a nil pointer in Go.
    assertNull(b.Ports().get("80/tcp"));
    assertNull(b.Endpoints().get("bridge"));
  }

  @Test
  void aNullCollectionStaysAbsent() {
    Body b = Json.read("{\"Labels\":null}".getBytes(StandardCharsets.UTF_8), Body.class, null);
    assertNull(b.Labels());
  }
}
