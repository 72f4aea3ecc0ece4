package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * The {@code reference} filter of {@code docker images}: Go's {@code path.Match} glob, tried on
 * the familiar {@code repo:tag} and then on the familiar repository alone
 * ({@code reference.FamiliarMatch}). {@code *} and {@code ?} do not cross a {@code /}.
 */
final class ReferenceGlob {

  private final Pattern pattern;

  ReferenceGlob(String glob) {
    this.pattern = Pattern.compile(toRegex(glob));
  }

  boolean matches(ImageReference ref) {
    return pattern.matcher(ref.familiar()).matches() || pattern.matcher(ref.familiarRepository()).matches();
  }

  private static String toRegex(String glob) {
    var re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (++i >= glob.length()) {
            throw bad();
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> i = charClass(glob, i + 1, re) - 1;
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return re.toString();
  }

  /** Translates {@code [^a-z\]]}; returns the index after the closing bracket. */
  private static int charClass(String glob, int i, StringBuilder re) {
    // Neither form may match a separator, as in Go.
    re.append("(?!/)[");
    if (i < glob.length() && glob.charAt(i) == '^') {
      re.append('^');
      i++;
    }
    boolean first = true;
    while (true) {
      if (i >= glob.length()) {
        throw bad();
      }
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        re.append(']');
        return i + 1;
      }
      first = false;
      char lo = c;
      if (c == '\\') {
        if (++i >= glob.length()) {
          throw bad();
        }
        lo = glob.charAt(i);
      } else if (c == '-' || c == ']') {
        throw bad();
      }
      i++;
      re.append(escape(lo));
      if (i < glob.length() && glob.charAt(i) == '-' && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
        char hi = glob.charAt(i + 1);
        i += 2;
        if (hi == '\\') {
          if (i >= glob.length()) {
            throw bad();
          }
          hi = glob.charAt(i++);
        }
        if (hi < lo) {
          throw bad();
        }
        re.append('-').append(escape(hi));
      }
    }
  }

  private static String escape(char c) {
    return String.format("\\x{%x}", (int) c);
  }

  private static InvalidArgumentException bad() {
    return new InvalidArgumentException("syntax error in pattern");
  }
}
