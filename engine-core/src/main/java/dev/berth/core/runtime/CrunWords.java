package dev.berth.core.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * crun 1.8's refusals to create a container, worded as runc words them. dockerd's users, their
 * scripts and berth's exit codes know runc's words: crun says {@code executable file `sh2` not
 * found in $PATH: No such file or directory} where runc says {@code exec: "sh2": executable file
 * not found in $PATH}, and names no file at all in {@code open executable: Permission denied}.
 * Anything not listed here is passed on in crun's own words.
 */
final class CrunWords {

  private static final String START = "unable to start container process: ";
  private static final String INIT = START + "error during container init: ";

  /** One of crun's messages and runc's words for it, given the match and the process's executable. */
  private record Rewording(Pattern crun, BiFunction<Matcher, String, String> runc) {}

  private static final List<Rewording> REWORDINGS = List.of(
      new Rewording(Pattern.compile("executable file `(.*)` not found in \\$PATH: No such file or directory"),
          (m, executable) -> START + "exec: \"" + m.group(1) + "\": " + (m.group(1).contains("/")
              ? "stat " + m.group(1) + ": no such file or directory"
              : "executable file not found in $PATH")),
      new Rewording(Pattern.compile("open executable: (.*)"),
          (m, executable) -> START + "exec: \"" + executable + "\": " + switch (lower(m.group(1))) {
            // runc 1.1 says so for a directory as well.
            case "permission denied", "operation not permitted" -> "permission denied";
            case String reason when reason.equals("not a directory") || reason.equals("no such file or directory") ->
                "stat " + executable + ": " + reason;
            case String reason -> reason;
          }),
      new Rewording(Pattern.compile("chdir `(.*)`: (.*)"),
          (m, executable) -> INIT + "mkdir " + m.group(1) + ": " + lower(m.group(2))),
      new Rewording(Pattern.compile("the sysctl `(.*)` is not namespaced"),
          (m, executable) -> "sysctl \"" + m.group(1) + "\" is not in a separate kernel namespace"),
      new Rewording(Pattern.compile("the sysctl `(.*)` requires a new network namespace"),
          (m, executable) -> "sysctl \"" + m.group(1) + "\" not allowed in host network namespace"),
      new Rewording(Pattern.compile("write to (/proc/sys/.*): (.*)"),
          (m, executable) -> INIT + "write " + m.group(1) + ": " + lower(m.group(2))),
      new Rewording(Pattern.compile("invalid rlimit `(.*)`"),
          (m, executable) -> "wrong rlimit value: " + m.group(1)),
      new Rewording(Pattern.compile("setrlimit `(RLIMIT_[A-Z]+)`: (.*)"),
          (m, executable) -> INIT + "error setting rlimits for ready process: error setting rlimit type "
              + NamespaceExec.RLIMIT_NUMBERS.getOrDefault(m.group(1), -1) + ": " + lower(m.group(2))));

  private CrunWords() {}

  /**
   * runc's words for crun's {@code message}, without runc's {@code runc create failed: }; empty
   * for a message runc has no other words for.
   *
   * @param executable the first argument of the container's process
   */
  static Optional<String> asRunc(String message, String executable) {
    for (Rewording r : REWORDINGS) {
      Matcher m = r.crun().matcher(message);
      if (m.matches()) {
        return Optional.of(r.runc().apply(m, executable));
      }
    }
    return Optional.empty();
  }

  private static String lower(String reason) {
    return reason.toLowerCase(Locale.ROOT);
  }
}
