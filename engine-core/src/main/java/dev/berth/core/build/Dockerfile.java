package dev.berth.core.build;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.GoJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile, parsed as buildkit's parser (which dockerd's classic builder uses) parses it:
 * parser directives at the top ({@code # escape=`}), whole-line comments, line continuations with
 * the escape character (empty and comment lines inside one skipped), and each instruction split
 * into its keyword, its leading {@code --flag=value} words and the rest.
 *
 * @param escape the escape character, {@code \} unless a directive set {@code `}
 * @param warnings what dockerd prints before the first step (empty continuation lines)
 */
public record Dockerfile(List<Instruction> instructions, char escape, List<String> warnings) {

  /** Every instruction dockerd's parser knows; only these get past parsing. */
  static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

  private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");
  private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
  /** The instructions whose arguments may be a JSON array (buildkit's parseMaybeJSON and parseMaybeJSONToList). */
  private static final Set<String> JSON_KEYWORDS = Set.of("ADD", "CMD", "COPY", "ENTRYPOINT", "HEALTHCHECK", "RUN",
      "SHELL", "VOLUME");
  static final String REQUIRES_BUILDKIT =
      "requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled";

  public Dockerfile {
    instructions = List.copyOf(instructions);
    warnings = List.copyOf(warnings);
  }

  /**
   * One instruction.
   *
   * @param keyword upper case, as dockerd matches it
   * @param original the instruction's text, continuations joined and trimmed (the "Step" line)
   * @param flags the leading {@code --name=value} words in order; a flag without {@code =} has value null
   * @param args what follows the flags, trimmed
   * @param line the first line it is on, from 1
   */
  public record Instruction(String keyword, String original, Map<String, String> flags, String args, int line) {
    public Instruction {
      flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /** {@code dockerfile parse error on line N: message}, as dockerd words an instruction it cannot parse. */
    InvalidArgumentException error(String message) {
      return new InvalidArgumentException("dockerfile parse error on line " + line + ": " + message);
    }
  }

  /**
   * @throws InvalidArgumentException with dockerd's words: an unknown instruction, a bad escape
   *     directive, an empty file, a heredoc (the classic builder has none)
   */
  public static Dockerfile parse(String text) {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    char escape = '\\';
    boolean directives = true;
    var out = new ArrayList<Instruction>();
    var warnings = new ArrayList<String>();
    int i = 0;
    while (i < lines.length) {
      String raw = lines[i];
      i++;
      if (directives) {
        Matcher m = DIRECTIVE.matcher(raw.stripLeading());
        if (m.matches()) {
          String name = m.group(1).toLowerCase(Locale.ROOT);
          if (name.equals("escape")) {
            String v = m.group(2);
            if (!v.equals("`") && !v.equals("\\")) {
              throw new InvalidArgumentException("invalid escape token '" + v + "' does not match ` or \\");
            }
            escape = v.charAt(0);
          }
          continue;
        }
        directives = false;
      }
      String line = raw.stripLeading();
      if (line.startsWith("#")) {
        continue;
      }
      int start = i;
      var buf = new StringBuilder();
      String trimmed = trimContinuation(line, escape);
      boolean end = trimmed == null;
      if (end && line.isBlank()) {
        continue;
      }
      buf.append(end ? line : trimmed);
      boolean emptyContinuation = false;
      while (!end && i < lines.length) {
        String next = lines[i];
        i++;
        if (next.stripLeading().startsWith("#")) {
          continue;
        }
        if (next.isBlank()) {
          emptyContinuation = true;
          continue;
        }
        String t = trimContinuation(next, escape);
        end = t == null;
        buf.append(end ? next : t);
      }
      String joined = buf.toString();
      if (joined.isBlank()) {
        continue;
      }
      if (emptyContinuation) {
        warnings.add("Empty continuation line found in: " + joined);
      }
      out.add(instruction(joined, start, escape));
    }
    if (out.isEmpty()) {
      throw new InvalidArgumentException("file with no instructions");
    }
    return new Dockerfile(out, escape, warnings);
  }

  /** The line without its continuation (escape character and trailing blanks), or null if it has none. */
  private static String trimContinuation(String line, char escape) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end > 0 && line.charAt(end - 1) == escape) {
      return line.substring(0, end - 1);
    }
    return null;
  }

  private static Instruction instruction(String line, int number, char escape) {
    String original = line.strip();
    String[] parts = original.split("[\\t\\u000b\\f\\r ]+", 2);
    String keyword = parts[0].toUpperCase(Locale.ROOT);
    String rest = parts.length > 1 ? parts[1] : "";
    var flags = new LinkedHashMap<String, String>();
    String args = extractFlags(rest, flags, number);
    var ins = new Instruction(keyword, original, flags, args.strip(), number);
    if (!KEYWORDS.contains(keyword)) {
      throw ins.error("unknown instruction: " + parts[0]);
    }
    if (keyword.equals("ENV") || keyword.equals("LABEL")) {
      nameValues(keyword, args.strip());
    }
    String json = args.strip();
    if (keyword.equals("HEALTHCHECK") && json.regionMatches(true, 0, "CMD", 0, 3)) {
      json = json.substring(3).strip();
    }
    if (JSON_KEYWORDS.contains(keyword) && GoJson.nonStringArray(json)) {
      throw new InvalidArgumentException("when using JSON array syntax, arrays must be comprised of strings only");
    }
    if (HEREDOC_KEYWORDS.contains(keyword)) {
      for (String w : args.split("\\s+")) {
        Matcher m = HEREDOC.matcher(w);
        if (m.matches() && !m.group(3).isEmpty()) {
          throw ins.error("the heredoc syntax (" + w + ") " + REQUIRES_BUILDKIT);
        }
      }
    }
    return ins;
  }

  /**
   * buildkit's parseNameVal, as the parser (not the instruction) checks ENV and LABEL: the legacy
   * {@code KEY value} form needs a value, the {@code k=v} form an {@code =} in every word. These
   * errors carry no line, as dockerd reports them ({@code failed to parse Dockerfile: ...}).
   */
  private static void nameValues(String keyword, String args) {
    List<String> words = InstructionArgs.words(args);
    if (words.isEmpty()) {
      return;
    }
    if (!words.getFirst().contains("=")) {
      if (args.split("[\\t\\u000b\\f\\r ]+", 2).length < 2) {
        throw new InvalidArgumentException(keyword + " must have two arguments");
      }
      return;
    }
    for (String w : words) {
      if (!w.contains("=")) {
        throw new InvalidArgumentException("Syntax error - can't find = in " + GoQuote.quote(w)
            + ". Must be of the form: name=value");
      }
    }
  }

  /** Leading {@code --name[=value]} words into {@code flags}; a bare {@code --} ends them. Returns the rest. */
  private static String extractFlags(String rest, Map<String, String> flags, int line) {
    String s = rest;
    while (true) {
      s = s.stripLeading();
      if (!s.startsWith("--")) {
        return s;
      }
      int sp = 0;
      while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
        sp++;
      }
      String word = s.substring(0, sp);
      s = s.substring(sp);
      if (word.equals("--")) {
        return s;
      }
      String body = word.substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      if (flags.containsKey(name)) {
        throw new InvalidArgumentException(
            "dockerfile parse error on line " + line + ": duplicate flag specified: " + name);
      }
      flags.put(name, eq < 0 ? null : body.substring(eq + 1));
    }
  }
}
