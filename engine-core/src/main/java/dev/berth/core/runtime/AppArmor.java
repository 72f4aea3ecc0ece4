package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AppArmor on this host, as dockerd uses it: where the kernel has it enabled and
 * apparmor_parser exists, a container runs under {@value #DEFAULT_PROFILE} (berth's own profile
 * with the rules of Docker's docker-default), {@code unconfined} when privileged, or the profile
 * {@code --security-opt apparmor=NAME} names. Where it is not enabled, containers run without a
 * profile and an {@code apparmor=} option is accepted and has no effect, as under dockerd.
 */
public final class AppArmor {

  public static final String DEFAULT_PROFILE = "berth-default";
  public static final String UNCONFINED = "unconfined";
  private static final Path PROFILES_DIR = Path.of("/etc/apparmor.d");
  private static final Path LOADED = Path.of("/sys/kernel/security/apparmor/profiles");
  private static final List<Path> PARSERS = List.of(Path.of("/sbin/apparmor_parser"),
      Path.of("/usr/sbin/apparmor_parser"));

  private final boolean enabled;
  private final Path parser;

  private AppArmor(boolean enabled, Path parser) {
    this.enabled = enabled;
    this.parser = parser;
  }

  /** No AppArmor: what a host without the module (or a test) has. */
  public static AppArmor disabled() {
    return new AppArmor(false, null);
  }

  /**
   * This host's AppArmor, detected as containerd's apparmor.HostSupports does: the securityfs
   * directory, an apparmor_parser, the module's {@code enabled} parameter = Y, and not itself in
   * a container.
   */
  public static AppArmor detect() {
    Path parser = PARSERS.stream().filter(Files::isExecutable).findFirst().orElse(null);
    boolean on = supports(Files.isDirectory(Path.of("/sys/kernel/security/apparmor")), parser != null,
        read(Path.of("/sys/module/apparmor/parameters/enabled")), System.getenv("container"));
    return new AppArmor(on, parser);
  }

  static boolean supports(boolean securityFs, boolean hasParser, String enabledParameter, String containerEnv) {
    return securityFs && hasParser && (containerEnv == null || containerEnv.isEmpty())
        && enabledParameter != null && enabledParameter.length() > 1 && enabledParameter.charAt(0) == 'Y';
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * The profile a container's processes run under: empty where AppArmor is off, else the one the
   * container asked for, {@code unconfined} for a privileged one, or {@value #DEFAULT_PROFILE}
   * (loaded now if something unloaded it, as dockerd reloads docker-default).
   */
  public String profileFor(String requested, boolean privileged) {
    String profile = profileName(requested, privileged);
    if (profile.equals(DEFAULT_PROFILE)) {
      ensureDefaultLoaded();
    }
    return profile;
  }

  /** {@link #profileFor}'s answer without loading anything (what inspect reports after a start). */
  public String profileName(String requested, boolean privileged) {
    if (!enabled) {
      return "";
    }
    return !requested.isEmpty() ? requested : privileged ? UNCONFINED : DEFAULT_PROFILE;
  }

  /** Loads {@value #DEFAULT_PROFILE} unless the kernel has it already. */
  public synchronized void ensureDefaultLoaded() {
    if (!enabled || isLoaded(read(LOADED), DEFAULT_PROFILE)) {
      return;
    }
    String daemonProfile = currentProfile(read(Path.of("/proc/self/attr/current")));
    String text = profile(DEFAULT_PROFILE, daemonProfile, m -> Files.exists(PROFILES_DIR.resolve(m)));
    try {
      var run = Processes.capture(parser, List.of(parser.toString(), "-Kr"), Processes.environment(Map.of()),
          text.getBytes(StandardCharsets.UTF_8));
      if (run.exit() != 0) {
        throw new InternalException("AppArmor enabled on system but the " + DEFAULT_PROFILE
            + " profile could not be loaded: running '" + parser + " -Kr' failed with output: " + run.said());
      }
    } catch (IOException | ErrnoException e) {
      throw new InternalException("AppArmor enabled on system but the " + DEFAULT_PROFILE
          + " profile could not be loaded: " + e.getMessage(), e);
    }
  }

  /** Whether the kernel's profile list ("name (mode)" lines; names may hold spaces) has {@code name}. */
  static boolean isLoaded(String profiles, String name) {
    if (profiles == null) {
      return false;
    }
    for (String line : profiles.split("\n")) {
      int cut = line.indexOf(" (");
      if (cut >= 0 && line.substring(0, cut).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The profile this process runs under, from /proc/self/attr/current ("name (mode)" or "unconfined"). */
  static String currentProfile(String attr) {
    if (attr == null) {
      return UNCONFINED;
    }
    String s = attr.strip();
    int cut = s.indexOf(" (");
    String name = cut >= 0 ? s.substring(0, cut) : s;
    return name.isEmpty() ? UNCONFINED : name;
  }

  /**
   * The text of a container profile with docker-default's rules (moby/profiles apparmor): every
   * network family but AF_ALG, capabilities and files as the container's other limits allow,
   * signals only from the host, the runtimes, the engine and its own processes, no writes to
   * /proc but /proc/PID and /proc/sys/kernel/shm*, no mount, no writes under /sys but
   * /sys/fs/cgroup, and ptrace only among its own processes.
   *
   * @param engineProfile the profile berthd itself runs under, whose signals the container takes
   * @param includeExists whether {@code /etc/apparmor.d/<name>} exists (abi, tunables, abstractions)
   */
  static String profile(String name, String engineProfile, Predicate<String> includeExists) {
    var head = new ArrayList<String>();
    head.add("# AppArmor profile for berth containers (the rules of Docker's docker-default).");
    if (includeExists.test("abi/3.0")) {
      // ABI 4 splits "network unix" out of "network": 3.0 keeps unix sockets allowed on every host.
      head.add("abi <abi/3.0>,");
    }
    head.add(includeExists.test("tunables/global") ? "#include <tunables/global>" : "@{PROC}=/proc/");
    var body = new ArrayList<String>();
    if (includeExists.test("abstractions/base")) {
      body.add("#include <abstractions/base>");
      body.add("");
    }
    body.addAll(List.of(
        "network,",
        "deny network alg,",
        "capability,",
        "file,",
        "umount,",
        "signal (receive) peer=unconfined,",
        "signal (receive) peer=runc,",
        "signal (receive) peer=crun,",
        "signal (receive) peer=\"" + engineProfile + "\",",
        "signal (send,receive) peer=\"" + name + "\",",
        "",
        "deny @{PROC}/* w,",
        "deny @{PROC}/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],[^1-9/][^0-9/][^0-9/][^0-9/]*}/** w,",
        "deny @{PROC}/sys/[^k]** w,",
        "deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,",
        "deny @{PROC}/sysrq-trigger rwklx,",
        "deny @{PROC}/kcore rwklx,",
        "",
        "deny mount,",
        "",
        "deny /sys/[^f]*/** wklx,",
        "deny /sys/f[^s]*/** wklx,",
        "deny /sys/fs/[^c]*/** wklx,",
        "deny /sys/fs/c[^g]*/** wklx,",
        "deny /sys/fs/cg[^r]*/** wklx,",
        "deny /sys/firmware/** rwklx,",
        "deny /sys/devices/virtual/powercap/** rwklx,",
        "deny /sys/kernel/security/** rwklx,",
        "",
        "ptrace (trace,tracedby,read,readby) peer=\"" + name + "\","));
    var out = new StringBuilder();
    head.forEach(l -> out.append(l).append('\n'));
    out.append('\n').append("profile \"").append(name).append("\" flags=(attach_disconnected,mediate_deleted) {\n");
    body.forEach(l -> out.append(l.isEmpty() ? "" : "  " + l).append('\n'));
    return out.append("}\n").toString();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return null;
    }
  }
}
