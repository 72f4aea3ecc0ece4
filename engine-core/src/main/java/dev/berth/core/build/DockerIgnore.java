package dev.berth.core.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} patterns as the docker CLI and dockerd apply them (moby/patternmatcher):
 * Go's filepath.Match syntax ({@code *}, {@code ?}, {@code [...]}, {@code \} escapes) plus
 * {@code **} for any number of directories, {@code !} for exceptions, the last matching pattern
 * deciding; a path is excluded when it or one of its parent directories matches.
 */
public final class DockerIgnore {

  private record Rule(Pattern regex, boolean exclusion, String text) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static final DockerIgnore NONE = new DockerIgnore(List.of());

  /** The file's lines: blank lines and {@code #} comments skipped, each pattern cleaned as a path. */
  public static DockerIgnore parse(String text) {
    var rules = new ArrayList<Rule>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exclusion = false;
      if (line.startsWith("!")) {
        exclusion = true;
        line = line.substring(1).strip();
        if (line.isEmpty()) {
          continue;
        }
      }
      String p = GoPathClean.clean(line);
      if (p.length() > 1 && p.startsWith("/")) {
        p = p.substring(1);
      }
      rules.add(new Rule(Pattern.compile(regex(p)), exclusion, p));
    }
    return new DockerIgnore(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Whether {@code path} (relative to the context, slash-separated) is left out. */
  public boolean excludes(String path) {
    String file = GoPathClean.clean(path);
    int slash = file.lastIndexOf('/');
    String parent = slash < 0 ? "." : file.substring(0, slash);
    String[] parentDirs = parent.split("/");
    boolean matched = false;
    for (Rule r : rules) {
      if (r.exclusion() != matched) {
        continue;
      }
      boolean match = r.regex().matcher(file).matches();
      if (!match && !parent.equals(".")) {
        var prefix = new StringBuilder();
        for (int i = 0; i < parentDirs.length && !match; i++) {
          if (i > 0) {
            prefix.append('/');
          }
          prefix.append(parentDirs[i]);
          match = r.regex().matcher(prefix).matches();
        }
      }
      if (match) {
        matched = !r.exclusion();
      }
    }
    return matched;
  }

  /** patternmatcher's translation of one pattern into a regular expression. */
  static String regex(String pattern) {
    var re = new StringBuilder("^");
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char ch = pattern.charAt(i++);
      if (ch == '*') {
        if (i < n && pattern.charAt(i) == '*') {
          i++;
          if (i < n && pattern.charAt(i) == '/') {
            i++;
          }
          re.append(i >= n ? ".*" : "(.*/)?");
        } else {
          re.append("[^/]*");
        }
      } else if (ch == '?') {
        re.append("[^/]");
      } else if (ch == '\\') {
        if (i < n) {
          re.append(Pattern.quote(String.valueOf(pattern.charAt(i++))));
        } else {
          re.append("\\\\");
        }
      } else if (ch == '[') {
        int end = pattern.indexOf(']', i + 1);
        if (end < 0) {
          re.append("\\[");
        } else {
          String cls = pattern.substring(i, end);
          if (cls.startsWith("^") || cls.startsWith("!")) {
            cls = "^" + cls.substring(1);
          }
          re.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end + 1;
        }
      } else if (".+()|{}$^".indexOf(ch) >= 0) {
        re.append('\\').append(ch);
      } else {
        re.append(ch);
      }
    }
    return re.append('$').toString();
  }

  /** Go's path.Clean for slash-separated paths. */
  static final class GoPathClean {
    private GoPathClean() {}

    static String clean(String p) {
      if (p.isEmpty()) {
        return ".";
      }
      boolean rooted = p.startsWith("/");
      var parts = new ArrayList<String>();
      for (String c : p.split("/")) {
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          if (!parts.isEmpty() && !parts.getLast().equals("..")) {
            parts.removeLast();
          } else if (!rooted) {
            parts.add("..");
          }
          continue;
        }
        parts.add(c);
      }
      String joined = String.join("/", parts);
      if (rooted) {
        return "/" + joined;
      }
      return joined.isEmpty() ? "." : joined;
    }
  }
}
