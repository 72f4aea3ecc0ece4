package dev.berth.core.seccomp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks JSON text the way Go's encoding/json scanner does before it decodes anything, and words
 * the first error as Go does ("invalid character 'x' looking for beginning of value", "unexpected
 * end of JSON input"). dockerd puts that text after "Decoding seccomp profile failed: ", and a
 * client sending a broken profile sees it.
 */
final class GoJsonSyntax {

  private final byte[] in;
  private int pos;

  private GoJsonSyntax(byte[] in) {
    this.in = in;
  }

  /** Go's message for the first syntax error, or empty if the text is one valid JSON value. */
  static Optional<String> error(String text) {
    var s = new GoJsonSyntax(text.getBytes(StandardCharsets.UTF_8));
    try {
      s.value();
      s.skipSpace();
      if (s.pos < s.in.length) {
        throw s.invalid("after top-level value");
      }
      return Optional.empty();
    } catch (Failure f) {
      return Optional.of(f.getMessage());
    }
  }

  private static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  private void value() {
    skipSpace();
    int c = next();
    switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number(c);
        } else {
          pos--;
          throw invalid("looking for beginning of value");
        }
      }
    }
  }

  private void object() {
    skipSpace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      if (next() != '"') {
        pos--;
        throw invalid("looking for beginning of object key string");
      }
      string();
      skipSpace();
      if (next() != ':') {
        pos--;
        throw invalid("after object key");
      }
      value();
      skipSpace();
      int c = next();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        pos--;
        throw invalid("after object key:value pair");
      }
    }
  }

  private void array() {
    skipSpace();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      value();
      skipSpace();
      int c = next();
      if (c == ']') {
        return;
      }
      if (c != ',') {
        pos--;
        throw invalid("after array element");
      }
    }
  }

  private void string() {
    while (true) {
      int c = next();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        int e = next();
        if (e == 'u') {
          for (int i = 0; i < 4; i++) {
            int h = next();
            if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
              pos--;
              throw invalid("in \\u hexadecimal character escape");
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          pos--;
          throw invalid("in string escape code");
        }
      } else if (c < 0x20) {
        pos--;
        throw invalid("in string literal");
      }
    }
  }

  private void number(int first) {
    int c = first;
    if (c == '-') {
      c = next();
      if (!(c >= '0' && c <= '9')) {
        pos--;
        throw invalid("in numeric literal");
      }
    }
    if (c != '0') {
      digits();
    }
    if (peekOrEnd() == '.') {
      pos++;
      if (!isDigit(peekOrEnd())) {
        if (pos >= in.length) {
          throw eof();
        }
        throw invalid("after decimal point in numeric literal");
      }
      digits();
    }
    if (peekOrEnd() == 'e' || peekOrEnd() == 'E') {
      pos++;
      if (peekOrEnd() == '+' || peekOrEnd() == '-') {
        pos++;
      }
      if (!isDigit(peekOrEnd())) {
        if (pos >= in.length) {
          throw eof();
        }
        throw invalid("in exponent of numeric literal");
      }
      digits();
    }
  }

  private void digits() {
    while (isDigit(peekOrEnd())) {
      pos++;
    }
  }

  private void literal(String word) {
    for (int i = 1; i < word.length(); i++) {
      if (next() != word.charAt(i)) {
        pos--;
        throw invalid("in literal " + word + " (expecting '" + word.charAt(i) + "')");
      }
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private void skipSpace() {
    while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
      pos++;
    }
  }

  private int next() {
    if (pos >= in.length) {
      throw eof();
    }
    return in[pos++] & 0xff;
  }

  private int peek() {
    if (pos >= in.length) {
      throw eof();
    }
    return in[pos] & 0xff;
  }

  private int peekOrEnd() {
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  private static Failure eof() {
    return new Failure("unexpected end of JSON input");
  }

  private Failure invalid(String context) {
    return new Failure("invalid character " + quoteChar(in[pos] & 0xff) + " " + context);
  }

  /** Go's quoteChar: the byte as strconv.Quote shows it, in single quotes. */
  static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    String body = switch (c) {
      case 7 -> "\\a";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 11 -> "\\v";
      case '\\' -> "\\\\";
      default -> {
        if (c >= 0x20 && c < 0x7f) {
          yield String.valueOf((char) c);
        } else if (c < 0x80) {
          yield String.format("\\x%02x", c);
        } else if (c >= 0xa0 && c != 0xad) {
          // Go quotes string(byte), the rune U+00XX: printable from U+00A0 on.
          yield String.valueOf((char) c);
        } else {
          yield String.format("\\u%04x", c);
        }
      }
    };
    return "'" + body + "'";
  }
}
