package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellLexTest {

  private final ShellLex lex = new ShellLex('\\');
  private final Map<String, String> env = Map.of("A", "a", "EMPTY", "", "PORTS", "80 443");

  private String w(String word) {
    return lex.processWord(word, env);
  }

  @Test
  void substitutesPlainAndBracedVariables() {
    assertEquals("a", w("$A"));
    assertEquals("a-b", w("${A}-b"));
    assertEquals("", w("$NOPE"));
    assertEquals("$", w("$"));
    assertEquals("x$ y", w("x$ y"));
  }

  @Test
  void defaultAlternativeAndRequiredModifiers() {
    assertEquals("x", w("${NOPE:-x}"));
    assertEquals("x", w("${EMPTY:-x}"));
    assertEquals("", w("${EMPTY-x}"));
    assertEquals("a", w("${A:-x}"));
    assertEquals("y", w("${A:+y}"));
    assertEquals("", w("${EMPTY:+y}"));
    assertEquals("y", w("${EMPTY+y}"));
    assertEquals("a", w("${A:?err}"));
    assertEquals("failed to process \"${NOPE:?must be set}\": NOPE: must be set",
        assertThrows(InvalidArgumentException.class, () -> w("${NOPE:?must be set}")).getMessage());
    assertEquals("failed to process \"${NOPE?}\": NOPE: is not allowed to be unset",
        assertThrows(InvalidArgumentException.class, () -> w("${NOPE?}")).getMessage());
    assertEquals("failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty",
        assertThrows(InvalidArgumentException.class, () -> w("${EMPTY:?}")).getMessage());
    assertEquals("", w("${EMPTY?}"));
  }

  @Test
  void nestedWordsAreExpandedToo() {
    assertEquals("a/x", w("${NOPE:-$A/x}"));
  }

  @Test
  void quotesAndEscapes() {
    assertEquals("$A", w("'$A'"));
    assertEquals("a b", w("\"$A b\""));
    assertEquals("$A", w("\\$A"));
    assertEquals("\"q\"", w("\"\\\"q\\\"\""));
    assertEquals("\\n", w("\"\\n\""));
    assertEquals("$A", new ShellLex('`').processWord("`$A", env));
  }

  @Test
  void badSyntaxIsRefusedWithBuildkitsWords() {
    assertEquals("failed to process \"${\": syntax error: missing '}'",
        assertThrows(InvalidArgumentException.class, () -> w("${")).getMessage());
    assertEquals("failed to process \"${A:-x\": syntax error: missing '}'",
        assertThrows(InvalidArgumentException.class, () -> w("${A:-x")).getMessage());
    assertEquals("failed to process \"${A\": unsupported modifier (\uFFFD) in substitution",
        assertThrows(InvalidArgumentException.class, () -> w("${A")).getMessage());
    assertEquals("failed to process \"${}\": syntax error: bad substitution",
        assertThrows(InvalidArgumentException.class, () -> w("${}")).getMessage());
    assertEquals("failed to process \"${A#x}\": unsupported modifier (#) in substitution",
        assertThrows(InvalidArgumentException.class, () -> w("${A#x}")).getMessage());
    assertEquals("failed to process \"'abc\": unexpected end of statement while looking for matching "
        + "single-quote",
        assertThrows(InvalidArgumentException.class, () -> w("'abc")).getMessage());
  }

  @Test
  void wordsSplitAnExpansionOnWhitespace() {
    assertEquals(List.of("80", "443"), lex.processWords("$PORTS", env));
    assertEquals(List.of("80 443"), lex.processWords("\"$PORTS\"", env));
  }
}
