package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.server.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Docker's strslice (a lone string is a one-element list) is for Cmd, Entrypoint and Shell only;
 * Env and an exec's Cmd are plain Go lists, which a lone string does not decode into (a 400).
 */
class PlainListsTest {

  private static <T> T read(String json, Class<T> type) {
    return Json.read(json.getBytes(StandardCharsets.UTF_8), type, null);
  }

  @Test
  void anExecsCmdAndEnvAreListsOnly() {
    assertThrows(InvalidArgumentException.class, () -> read("{\"Cmd\": \"ls\"}", ExecJson.Create.class));
    assertThrows(InvalidArgumentException.class, () -> read("{\"Cmd\": [\"ls\"], \"Env\": \"A=b\"}",
        ExecJson.Create.class));
    assertEquals(List.of("ls", "-l"), read("{\"Cmd\": [\"ls\", \"-l\"]}", ExecJson.Create.class).Cmd());
  }

  @Test
  void aContainersEnvIsAListButItsCmdMayBeAString() {
    assertThrows(InvalidArgumentException.class, () -> read("{\"Env\": \"A=b\"}", ContainerJson.Config.class));
    assertEquals(List.of("echo hi"), read("{\"Cmd\": \"echo hi\"}", ContainerJson.Config.class).Cmd());
    assertEquals(List.of("A=b"), read("{\"Env\": [\"A=b\"]}", ContainerJson.Config.class).Env());
  }
}
