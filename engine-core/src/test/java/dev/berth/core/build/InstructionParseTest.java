package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: each text checked against a real dockerd (20.10, and moby master's source where its
 * words changed since: "on line", lower-case "unknown flag"/"missing a value").
 */
class InstructionParseTest {

  private static String error(String dockerfile) {
    var df = Dockerfile.parse(dockerfile);
    return assertThrows(InvalidArgumentException.class, () -> df.instructions().forEach(InstructionParse::check))
        .getMessage();
  }

  private static String parseError(String dockerfile) {
    return assertThrows(InvalidArgumentException.class, () -> Dockerfile.parse(dockerfile)).getMessage();
  }

  @Test
  void flagsAreCheckedBeforeAnyStep() {
    assertEquals("dockerfile parse error on line 2: unknown flag: foo", error("FROM busybox\nCOPY --foo=bar a /a\n"));
    assertEquals("dockerfile parse error on line 2: missing a value on flag: chown",
        error("FROM busybox\nCOPY --chown a /a\n"));
    assertEquals("dockerfile parse error on line 1: unknown flag: foo", error("FROM --foo=1 busybox\n"));
    assertEquals("dockerfile parse error on line 2: unknown flag: foo", error("FROM busybox\nRUN --foo true\n"));
    // RUN's own flags pass here; the classic builder refuses them when the step runs.
    assertDoesNotThrow(() ->
        InstructionParse.check(Dockerfile.parse("RUN --network=none true\n").instructions().getFirst()));
    assertEquals("dockerfile parse error on line 2: unknown flag: foo",
        error("FROM busybox\nHEALTHCHECK --foo=1 CMD true\n"));
    // A boolean flag stands alone; the classic builder refuses it when the step runs.
    assertDoesNotThrow(() -> InstructionParse.check(Dockerfile.parse("COPY --link a /a\n").instructions().getFirst()));
  }

  @Test
  void argumentCountsAndFormsAreCheckedBeforeAnyStep() {
    assertEquals("dockerfile parse error on line 2: ARG requires at least one argument", error("FROM busybox\nARG\n"));
    assertEquals("dockerfile parse error on line 2: LABEL requires at least one argument",
        error("FROM busybox\nLABEL\n"));
    assertEquals("dockerfile parse error on line 2: ENV names can not be blank", error("FROM busybox\nENV =x\n"));
    assertEquals("dockerfile parse error on line 2: MAINTAINER requires exactly one argument",
        error("FROM busybox\nMAINTAINER\n"));
    assertEquals("dockerfile parse error on line 2: WORKDIR requires exactly one argument",
        error("FROM busybox\nWORKDIR\n"));
    assertEquals("dockerfile parse error on line 2: STOPSIGNAL requires exactly one argument",
        error("FROM busybox\nSTOPSIGNAL\n"));
    assertEquals("dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. "
        + "Destination could not be determined", error("FROM busybox\nCOPY a\n"));
    assertEquals("dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form",
        error("FROM busybox\nSHELL [\"/bin/sh\", \n"));
    assertEquals("dockerfile parse error on line 2: SHELL requires at least one argument",
        error("FROM busybox\nSHELL []\n"));
    assertEquals("dockerfile parse error on line 2: VOLUME requires at least one argument",
        error("FROM busybox\nVOLUME\n"));
    assertEquals("dockerfile parse error on line 2: VOLUME specified can not be an empty string",
        error("FROM busybox\nVOLUME [\"\"]\n"));
    // USER takes the whole rest as its one argument (dockerd accepts "USER a b").
    assertDoesNotThrow(() -> InstructionParse.check(Dockerfile.parse("USER a b\n").instructions().getFirst()));
  }

  @Test
  void healthcheckAndOnbuildAreCheckedBeforeAnyStep() {
    assertEquals("dockerfile parse error on line 2: time: invalid duration \"x\"",
        error("FROM busybox\nHEALTHCHECK --interval=x CMD true\n"));
    assertEquals("dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
        error("FROM busybox\nHEALTHCHECK NONE x\n"));
    assertEquals("dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
        error("FROM busybox\nHEALTHCHECK FOO true\n"));
    assertEquals("dockerfile parse error on line 2: ONBUILD requires at least one argument",
        error("FROM busybox\nONBUILD\n"));
    assertEquals("dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger",
        error("FROM busybox\nONBUILD FROM x\n"));
    assertEquals("dockerfile parse error on line 2: MAINTAINER isn't allowed as an ONBUILD trigger",
        error("FROM busybox\nONBUILD MAINTAINER x\n"));
    assertEquals("dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        error("FROM busybox\nONBUILD ONBUILD RUN x\n"));
  }

  @Test
  void theParsersOwnErrorsCarryNoLine() {
    // BuildService adds "failed to parse Dockerfile: ", as dockerd does.
    assertEquals("ENV must have two arguments", parseError("FROM busybox\nENV X\n"));
    assertEquals("LABEL must have two arguments", parseError("FROM busybox\nLABEL X\n"));
    assertEquals("Syntax error - can't find = in \"B\". Must be of the form: name=value",
        parseError("FROM busybox\nENV A=1 B\n"));
    assertDoesNotThrow(() -> Dockerfile.parse("FROM busybox\nENV X y z\nLABEL \"c d\"=e a=b\n"));
    assertEquals("when using JSON array syntax, arrays must be comprised of strings only",
        parseError("FROM busybox\nCMD [\"a\", 1]\n"));
    assertEquals("when using JSON array syntax, arrays must be comprised of strings only",
        parseError("FROM busybox\nHEALTHCHECK CMD [\"a\", null]\n"));
    // Not JSON at all: the shell form.
    assertDoesNotThrow(() -> Dockerfile.parse("FROM busybox\nCMD [\"echo\", hi]\n"));
  }
}
