package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dockerfile word rules that {@code changes} follow (BuildKit's shell lexer, the subset a
 * change can meet): whitespace splits words outside quotes, single quotes are literal, double
 * quotes allow {@code $} expansion and backslash escapes of {@code \ " $}, and {@code $VAR},
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:+alt}} expand from the image's env.
 */
final class ShellWords {

  private ShellWords() {}

  /** Splits on unquoted whitespace, keeping quotes and escapes in the words (BuildKit's parseWords). */
  static List<String> splitRaw(String s) {
    var words = new ArrayList<String>();
    var cur = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
        continue;
      }
      inWord = true;
      cur.append(c);
      if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }

  /** Quote removal and expansion of one word; whitespace inside it is kept. */
  static String processWord(String word, Map<String, String> env) {
    var out = new StringBuilder();
    int i = 0;
    while (i < word.length()) {
      char c = word.charAt(i);
      if (c == '\'') {
        int end = word.indexOf('\'', i + 1);
        if (end < 0) {
          throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
        }
        out.append(word, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(word, i + 1, env, out);
      } else if (c == '\\') {
        if (i + 1 < word.length()) {
          out.append(word.charAt(i + 1));
        }
        i += 2;
      } else if (c == '$') {
        i = variable(word, i + 1, env, out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  static List<String> processWords(String s, Map<String, String> env) {
    return splitRaw(s).stream().map(w -> processWord(w, env)).toList();
  }

  private static int doubleQuoted(String w, int i, Map<String, String> env, StringBuilder out) {
    while (i < w.length()) {
      char c = w.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < w.length() && "\\\"$`".indexOf(w.charAt(i + 1)) >= 0) {
        out.append(w.charAt(i + 1));
        i += 2;
      } else if (c == '$') {
        i = variable(w, i + 1, env, out);
      } else {
        out.append(c);
        i++;
      }
    }
    throw new InvalidArgumentException("unexpected end of statement while looking for matching double-quote");
  }

  /** Expands the variable starting after a {@code $}; returns the index after it. */
  private static int variable(String w, int i, Map<String, String> env, StringBuilder out) {
    if (i >= w.length()) {
      out.append('$');
      return i;
    }
    if (w.charAt(i) == '{') {
      int end = w.indexOf('}', i);
      if (end < 0) {
        throw new InvalidArgumentException("missing '}'");
      }
      String body = w.substring(i + 1, end);
      int op = body.indexOf(':');
      String name = op < 0 ? body : body.substring(0, op);
      String value = env.get(name);
      if (op < 0) {
        out.append(value == null ? "" : value);
      } else if (body.startsWith(":-", op)) {
        out.append(value == null || value.isEmpty() ? processWord(body.substring(op + 2), env) : value);
      } else if (body.startsWith(":+", op)) {
        out.append(value == null || value.isEmpty() ? "" : processWord(body.substring(op + 2), env));
      } else {
        throw new InvalidArgumentException("unsupported modifier (" + body.substring(op) + ") in substitution");
      }
      return end + 1;
    }
    int j = i;
    while (j < w.length() && (Character.isLetterOrDigit(w.charAt(j)) || w.charAt(j) == '_')) {
      j++;
    }
    if (j == i) {
      out.append('$');
      return i;
    }
    String value = env.get(w.substring(i, j));
    out.append(value == null ? "" : value);
    return j;
  }
}
