package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: a scalar of the wrong JSON type for a string field is a 400, as Go's encoding/json refuses it. */
class JsonScalarsTest {

  record Body(String Image, List<String> Cmd, Map<String, String> Labels, Long Memory, Boolean Tty) {}

  private static Body read(String json) {
    return Json.read(json.getBytes(StandardCharsets.UTF_8), Body.class, null);
  }

  @Test
  void numbersAndBooleansAreNotStrings() {
    for (String json : new String[] {"{\"Image\": 5}", "{\"Image\": 1.5}", "{\"Image\": true}", "{\"Cmd\": [1]}",
        "{\"Labels\": {\"a\": 1}}"}) {
      assertThrows(InvalidArgumentException.class, () -> read(json), json);
    }
  }

  @Test
  void stringsNumbersAndBooleansOfTheRightTypeAreRead() {
    Body b = read("{\"Image\": \"busybox\", \"Cmd\": \"sh\", \"Labels\": {\"a\": \"1\"}, \"Memory\": 5, \"Tty\": true}");
    assertEquals(new Body("busybox", List.of("sh"), Map.of("a", "1"), 5L, true), b);
  }
}
