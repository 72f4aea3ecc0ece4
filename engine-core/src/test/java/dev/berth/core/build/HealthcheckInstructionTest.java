package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.GoDuration;
import dev.berth.core.image.Healthcheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthcheckInstructionTest {

  private static Healthcheck parse(String line) {
    return HealthcheckInstruction.parse(Dockerfile.parse("FROM a\n" + line + "\n").instructions().get(1));
  }

  private static String refused(String line) {
    return assertThrows(InvalidArgumentException.class, () -> parse(line)).getMessage();
  }

  @Test
  void shellAndExecFormsWithFlags() {
    assertEquals(new Healthcheck(List.of("CMD-SHELL", "curl -f x || exit 1"), 30_000_000_000L, 0, 0, 0, 3),
        parse("HEALTHCHECK --interval=30s --retries=3 CMD curl -f x || exit 1"));
    assertEquals(new Healthcheck(List.of("CMD", "true"), 0, 1_500_000_000L, 0, 0, 0),
        parse("HEALTHCHECK --timeout=1.5s CMD [\"true\"]"));
    assertEquals(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0), parse("HEALTHCHECK NONE"));
  }

  @Test
  void badOnesGetBuildkitsWords() {
    assertEquals("dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
        refused("HEALTHCHECK NONE x"));
    assertEquals("dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD", refused("HEALTHCHECK CMD"));
    assertEquals("dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
        refused("HEALTHCHECK FOO x"));
    assertEquals("dockerfile parse error on line 2: --retries cannot be negative (-1)",
        refused("HEALTHCHECK --retries=-1 CMD true"));
    assertEquals("dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms",
        refused("HEALTHCHECK --interval=10us CMD true"));
  }

  @Test
  void goDurationsPrintAsGoPrintsThem() {
    assertEquals("0s", GoDuration.format(0));
    assertEquals("30s", GoDuration.format(30_000_000_000L));
    assertEquals("1m30s", GoDuration.format(90_000_000_000L));
    assertEquals("1h0m0s", GoDuration.format(3_600_000_000_000L));
    assertEquals("500ms", GoDuration.format(500_000_000L));
    assertEquals(90_000_000_000L, GoDuration.parse("1m30s"));
  }
}
