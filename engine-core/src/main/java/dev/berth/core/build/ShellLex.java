package dev.berth.core.build;

import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dockerfile's word processing (buildkit's {@code shell.Lex}, as the classic builder applies it
 * to the instructions it expands): quotes are removed, the escape character quotes the next
 * character, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?message}} and {@code ${VAR?message}} are
 * substituted from the given variables. The pattern forms ({@code #}, {@code %}, {@code /}) are
 * refused, not left as text.
 */
public final class ShellLex {

  private static final int EOF = -1;

  private final char escape;

  public ShellLex(char escape) {
    this.escape = escape;
  }

  /**
   * One word, expanded: unquoted whitespace is kept.
   *
   * @throws InvalidArgumentException {@code failed to process "<word>": <why>}, as buildkit's lexer words it
   */
  public String processWord(String word, Map<String, String> env) {
    return process(word, env).text;
  }

  /** Words, expanded then split on unquoted whitespace (what EXPOSE does with {@code $PORTS}). */
  public List<String> processWords(String word, Map<String, String> env) {
    return process(word, env).words;
  }

  private Result process(String word, Map<String, String> env) {
    try {
      return new Scan(word, env).stopOn(EOF);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("failed to process " + GoQuote.quote(word) + ": " + e.getMessage());
    }
  }

  private record Result(String text, List<String> words) {}

  private final class Scan {
    private final String s;
    private final Map<String, String> env;
    private int pos;

    Scan(String s, Map<String, String> env) {
      this.s = s;
      this.env = env;
    }

    private int peek() {
      return pos < s.length() ? s.charAt(pos) : EOF;
    }

    private int next() {
      return pos < s.length() ? s.charAt(pos++) : EOF;
    }

    Result stopOn(int stop) {
      var result = new StringBuilder();
      var words = new ArrayList<String>();
      var word = new StringBuilder();
      boolean inWord = false;
      while (peek() != EOF) {
        int ch = peek();
        if (stop != EOF && ch == stop) {
          next();
          if (inWord) {
            words.add(word.toString());
          }
          return new Result(result.toString(), words);
        }
        if (ch == '$' || ch == '\'' || ch == '"') {
          String tmp = ch == '$' ? dollar() : ch == '\'' ? singleQuoted() : doubleQuoted();
          result.append(tmp);
          if (ch == '$') {
            // An expansion's own whitespace splits words, as an unquoted $VAR in sh.
            for (int i = 0; i < tmp.length(); i++) {
              char c = tmp.charAt(i);
              if (Character.isWhitespace(c)) {
                if (inWord) {
                  words.add(word.toString());
                  word.setLength(0);
                  inWord = false;
                }
              } else {
                word.append(c);
                inWord = true;
              }
            }
          } else {
            word.append(tmp);
            inWord = true;
          }
          continue;
        }
        ch = next();
        if (ch == escape) {
          ch = next();
          if (ch == EOF) {
            break;
          }
          word.append((char) ch);
          inWord = true;
        } else if (Character.isWhitespace(ch)) {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
        } else {
          word.append((char) ch);
          inWord = true;
        }
        result.append((char) ch);
      }
      if (stop != EOF) {
        throw new InvalidArgumentException(
            "unexpected end of statement while looking for matching " + (char) stop);
      }
      if (inWord) {
        words.add(word.toString());
      }
      return new Result(result.toString(), words);
    }

    private String singleQuoted() {
      next();
      var out = new StringBuilder();
      while (true) {
        int ch = next();
        if (ch == EOF) {
          throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          return out.toString();
        }
        out.append((char) ch);
      }
    }

    private String doubleQuoted() {
      next();
      var out = new StringBuilder();
      while (true) {
        int p = peek();
        if (p == EOF) {
          throw new InvalidArgumentException("unexpected end of statement while looking for matching double-quote");
        }
        if (p == '"') {
          next();
          return out.toString();
        }
        if (p == '$') {
          out.append(dollar());
          continue;
        }
        int ch = next();
        if (ch == escape) {
          int q = peek();
          if (q == EOF) {
            continue;
          }
          if (q == '"' || q == '$' || q == escape) {
            ch = next();
          }
        }
        out.append((char) ch);
      }
    }

    private String name() {
      int start = pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (Character.isLetterOrDigit(c) || c == '_') {
          pos++;
        } else {
          break;
        }
      }
      return s.substring(start, pos);
    }

    private String dollar() {
      next();
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) {
          return "$";
        }
        return env.getOrDefault(name, "");
      }
      next();
      int p = peek();
      if (p == EOF) {
        throw new InvalidArgumentException("syntax error: missing '}'");
      }
      if (p == '{' || p == '}' || p == ':') {
        throw new InvalidArgumentException("syntax error: bad substitution");
      }
      String name = name();
      int ch = next();
      if (ch == '}') {
        return env.getOrDefault(name, "");
      }
      if (ch == EOF) {
        // buildkit prints Go's string(scanner.EOF), the replacement character (20.10 said "missing ':'").
        throw new InvalidArgumentException("unsupported modifier (\uFFFD) in substitution");
      }
      String modifier = String.valueOf((char) ch);
      boolean colon = false;
      if (ch == ':') {
        colon = true;
        ch = next();
        modifier += ch == EOF ? "" : String.valueOf((char) ch);
      }
      if (ch != '-' && ch != '+' && ch != '?') {
        throw new InvalidArgumentException("unsupported modifier (" + modifier + ") in substitution");
      }
      String word;
      try {
        word = stopOn('}').text;
      } catch (InvalidArgumentException e) {
        if (peek() == EOF) {
          throw new InvalidArgumentException("syntax error: missing '}'");
        }
        throw e;
      }
      String value = env.get(name);
      boolean set = value != null;
      boolean empty = !set || (colon && value.isEmpty());
      return switch (ch) {
        case '-' -> empty ? word : value;
        case '+' -> empty ? "" : word;
        default -> {
          if (!set) {
            throw new InvalidArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
          }
          if (colon && value.isEmpty()) {
            throw new InvalidArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
          }
          yield value;
        }
      };
    }
  }
}
