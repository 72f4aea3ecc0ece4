package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container's {@code HostConfig.SecurityOpt} asks for, read as dockerd's parseSecurityOpt
 * reads it, with the daemon's no-new-privileges default applied first. Fixed at create.
 *
 * @param seccompProfile empty for the daemon's profile, {@code unconfined}, {@code builtin}, or a
 *     profile's JSON text (the docker CLI sends the file's content)
 * @param appArmorProfile empty for the default
 * @param labels SELinux label options; berth runs on hosts without SELinux, where dockerd accepts
 *     and ignores them too
 * @param writableCgroups null when not given: /sys/fs/cgroup is then writable only if privileged
 */
public record SecurityOptions(boolean noNewPrivileges, String seccompProfile, String appArmorProfile,
    List<String> labels, Boolean writableCgroups) {

  public static final String UNCONFINED = "unconfined";
  public static final String BUILTIN = "builtin";
  public static final SecurityOptions NONE = new SecurityOptions(false, "", "", List.of(), null);

  public SecurityOptions {
    seccompProfile = seccompProfile == null ? "" : seccompProfile;
    appArmorProfile = appArmorProfile == null ? "" : appArmorProfile;
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /**
   * @throws InvalidArgumentException dockerd's {@code invalid --security-opt 1: "..."} for an
   *     option without a value, {@code invalid --security-opt 2: "..."} for an unknown one or a
   *     value that is not a boolean where one is needed
   */
  public static SecurityOptions parse(List<String> opts, boolean daemonNoNewPrivileges) {
    boolean nnp = daemonNoNewPrivileges;
    String seccomp = "";
    String apparmor = "";
    Boolean writableCgroups = null;
    var labels = new ArrayList<String>();
    for (String opt : opts) {
      switch (opt) {
        case "no-new-privileges" -> {
          nnp = true;
          continue;
        }
        case "writable-cgroups" -> {
          writableCgroups = true;
          continue;
        }
        case "disable" -> {
          labels.add("disable");
          continue;
        }
        default -> { }
      }
      // "=" first; ":" is the separator dockerd deprecated in 17.04 and still reads.
      int cut = opt.indexOf('=');
      if (cut < 0) {
        cut = opt.indexOf(':');
      }
      if (cut < 0) {
        throw new InvalidArgumentException("invalid --security-opt 1: " + goQuote(opt));
      }
      String key = opt.substring(0, cut);
      String value = opt.substring(cut + 1);
      switch (key) {
        case "label" -> labels.add(value);
        case "apparmor" -> apparmor = value;
        case "seccomp" -> seccomp = value;
        case "no-new-privileges" -> nnp = parseBool(value, opt);
        case "writable-cgroups" -> writableCgroups = parseBool(value, opt);
        default -> throw new InvalidArgumentException("invalid --security-opt 2: " + goQuote(opt));
      }
    }
    return new SecurityOptions(nnp, seccomp, apparmor, labels, writableCgroups);
  }

  /** Whether a SecurityOpt list already says something about SELinux labels (dockerd's check). */
  public static boolean hasLabel(List<String> opts) {
    return opts.stream().anyMatch(o -> o.split("=", -1)[0].equals("label"));
  }

  /** Go's strconv.ParseBool. */
  private static boolean parseBool(String value, String opt) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new InvalidArgumentException("invalid --security-opt 2: " + goQuote(opt));
    };
  }

  /** Go's %q for the printable text clients send. */
  static String goQuote(String s) {
    var out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
