package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkModeTest {

  @Test
  void dockersWordsParseAndPrintBack() {
    for (String mode : List.of("default", "bridge", "host", "none", "container:web", "backend", "3f2a9c")) {
      assertEquals(mode, NetworkMode.parse(mode).value());
    }
    assertEquals(new NetworkMode.Default(), NetworkMode.parse(""));
    assertEquals(new NetworkMode.Container("web"), NetworkMode.parse("container:web"));
    assertThrows(InvalidArgumentException.class, () -> NetworkMode.parse("container:"));
  }

  @Test
  void whatEachModeJoinsAndOwns() {
    assertEquals(Optional.of("bridge"), NetworkMode.parse("default").network());
    assertEquals(Optional.of("backend"), NetworkMode.parse("backend").network());
    assertEquals(Optional.empty(), NetworkMode.parse("container:web").network());
    assertFalse(NetworkMode.parse("host").ownsNamespace());
    assertFalse(NetworkMode.parse("container:web").ownsNamespace());
    assertTrue(NetworkMode.parse("none").ownsNamespace());
    assertTrue(NetworkMode.parse("none").sharesNamespace(), "none may join no other network");
    assertFalse(NetworkMode.parse("backend").sharesNamespace());
  }
}
