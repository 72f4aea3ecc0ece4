package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Set;

/** Compares two wire answers as clients see them: same fields, values, nulls, absences and field order. */
public final class JsonShapes {

  private JsonShapes() {}

  /**
   * @param unordered JSON pointers of objects whose field order the old answer left to a hash
   *     ({@code Map.of}), so only their content is compared
   */
  public static void assertSame(Object expected, Object actual, Set<String> unordered) {
    JsonNode e = tree(expected);
    JsonNode a = tree(actual);
    assertEquals(e, a, "content");
    assertOrder(e, a, "", unordered);
  }

  private static void assertOrder(JsonNode e, JsonNode a, String at, Set<String> unordered) {
    if (e.isObject()) {
      if (!unordered.contains(at)) {
        assertEquals(names(e), names(a), "field order at '" + at + "'");
      }
      e.properties().forEach(p -> assertOrder(p.getValue(), a.get(p.getKey()), at + "/" + p.getKey(), unordered));
    } else if (e.isArray()) {
      for (int i = 0; i < e.size(); i++) {
        assertOrder(e.get(i), a.get(i), at + "/" + i, unordered);
      }
    }
  }

  private static ArrayList<String> names(JsonNode n) {
    var out = new ArrayList<String>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode tree(Object value) {
    try {
      return Json.MAPPER.readTree(Json.bytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
