package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** moby/sys/signal {@code ParseSignal} with its Linux signal map. */
class SignalsTest {

  @ParameterizedTest
  @CsvSource({
      "TERM, 15", "SIGTERM, 15", "sigterm, 15", "Term, 15", "15, 15",
      "KILL, 9", "SIGKILL, 9", "9, 9",
      "INT, 2", "HUP, 1", "QUIT, 3", "USR1, 10", "USR2, 12", "WINCH, 28", "STOP, 19", "CONT, 18",
      "IOT, 6", "ABRT, 6", "POLL, 29", "IO, 29", "SYS, 31",
      "1, 1", "64, 64"})
  void namesWithOrWithoutSigAndNumbersParse(String raw, int expected) {
    assertEquals(expected, Signals.parse(raw));
  }

  @ParameterizedTest
  @CsvSource({
      "RTMIN, 34", "SIGRTMIN, 34", "RTMIN+1, 35", "RTMIN+3, 37", "SIGRTMIN+3, 37", "rtmin+15, 49",
      "RTMAX-14, 50", "RTMAX-1, 63", "RTMAX, 64"})
  void realTimeSignalsCountFromRtminAndRtmax(String raw, int expected) {
    assertEquals(expected, Signals.parse(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "SIGFOO", "SIG", "0", "65", "-1", "RTMIN+31", "RTMAX+1", "RTMIN-1", "RTMINX", "15x"})
  void anythingElseIsRefusedWithDockersWording(String raw) {
    var e = assertThrows(InvalidArgumentException.class, () -> Signals.parse(raw));
    assertEquals("invalid signal: " + raw, e.getMessage());
  }

  @Test
  void theConstantsAreTheLinuxNumbers() {
    assertEquals(Signals.SIGTERM, Signals.parse("TERM"));
    assertEquals(Signals.SIGKILL, Signals.parse("KILL"));
  }
}
