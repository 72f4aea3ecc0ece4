package dev.berth.core.id;

/**
 * The shape of every ID and SHA-256 digest berth makes or is given: 64 lowercase hex digits.
 * Checked a character at a time rather than by a regular expression: every row of a list is
 * checked twice (its container's ID and its image's), which through a pattern was a fifth of a
 * list's time once its rows had to be read again (issue 15).
 */
public final class Hex64 {

  private static final int LENGTH = 64;

  private Hex64() {}

  public static boolean is(String s) {
    return s != null && isFrom(s, 0);
  }

  /** Whether {@code s}, from {@code start} to its end, is 64 lowercase hex digits. */
  public static boolean isFrom(String s, int start) {
    if (s.length() - start != LENGTH) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
