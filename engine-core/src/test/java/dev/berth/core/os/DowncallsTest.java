package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/** Issue 15: the run's downcalls link ahead of the first run, on any host berth starts on. */
class DowncallsTest {

  @Test
  void everyGroupARunNeedsLinks() {
    assertDoesNotThrow(Downcalls::linkForRuns);
  }
}
