package dev.berth.core.build;

import java.util.List;

/** Go's {@code %q} of a string and of a {@code []string}, which dockerd's builder messages use. */
final class GoQuote {

  private GoQuote() {}

  static String quote(String s) {
    var b = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            b.append(String.format("\\x%02x", cp));
          } else {
            b.appendCodePoint(cp);
          }
        }
      }
    });
    return b.append('"').toString();
  }

  /** {@code ["a" "b"]}: a slice under %q. */
  static String quoteList(List<String> list) {
    var b = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(quote(list.get(i)));
    }
    return b.append(']').toString();
  }
}
