package dev.berth.core.id;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Hex64Test {

  private static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  void sixtyFourLowercaseHexDigitsAndNothingElse() {
    assertTrue(Hex64.is(HEX));
    assertFalse(Hex64.is(null));
    assertFalse(Hex64.is(""));
    assertFalse(Hex64.is(HEX.substring(1)), "63");
    assertFalse(Hex64.is(HEX + "0"), "65");
    for (char c : new char[] {'A', 'F', 'g', 'z', '/', ':', '@', '`', ' ', '\u0660'}) {
      assertFalse(Hex64.is(c + HEX.substring(1)), "first " + c);
      assertFalse(Hex64.is(HEX.substring(1) + c), "last " + c);
    }
  }

  @Test
  void fromAnOffsetToTheEnd() {
    assertTrue(Hex64.isFrom("sha256:" + HEX, 7));
    assertFalse(Hex64.isFrom("sha256:" + HEX, 6));
    assertFalse(Hex64.isFrom("sha256:" + HEX + "0", 7));
  }
}
