package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** The {@code condition} of {@code POST /containers/{id}/wait}. */
class WaitConditionTest {

  @Test
  void wireNamesParse() {
    assertEquals(WaitCondition.NOT_RUNNING, WaitCondition.parse("not-running"));
    assertEquals(WaitCondition.NEXT_EXIT, WaitCondition.parse("next-exit"));
    assertEquals(WaitCondition.REMOVED, WaitCondition.parse("removed"));
  }

  @Test
  void missingConditionMeansNotRunning() {
    assertEquals(WaitCondition.NOT_RUNNING, WaitCondition.parse(""));
    assertEquals(WaitCondition.NOT_RUNNING, WaitCondition.parse(null));
  }

  @Test
  void anythingElseIsRefusedQuoted() {
    assertEquals("invalid condition: \"stopped\"",
        assertThrows(InvalidArgumentException.class, () -> WaitCondition.parse("stopped")).getMessage());
    assertEquals("invalid condition: \"NEXT_EXIT\"",
        assertThrows(InvalidArgumentException.class, () -> WaitCondition.parse("NEXT_EXIT")).getMessage());
    assertEquals("invalid condition: \"Removed\"",
        assertThrows(InvalidArgumentException.class, () -> WaitCondition.parse("Removed")).getMessage());
  }
}
