package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.runtime.AppArmor;
import dev.berth.core.seccomp.SeccompProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the daemon gives a container that does not say otherwise (dockerd's
 * {@code no-new-privileges}, {@code seccomp-profile} and {@code default-cgroupns-mode}), and the
 * host facts that decide the rest.
 *
 * @param seccompProfile {@code builtin}, {@code unconfined} or the path of the daemon's profile,
 *     as {@code docker info} names it
 * @param customSeccomp the profile read from that path; null for builtin and unconfined
 * @param cgroupnsMode {@code host} or {@code private}
 * @param unifiedCgroups a pure cgroup v2 host: there even a privileged container gets the default
 *     cgroup namespace mode (elsewhere the host's)
 * @param kernelSeccomp whether the kernel filters system calls (CONFIG_SECCOMP_FILTER)
 */
public record SecurityDefaults(boolean noNewPrivileges, String seccompProfile, SeccompProfile customSeccomp,
    String cgroupnsMode, boolean unifiedCgroups, boolean kernelSeccomp, AppArmor appArmor) {

  public SecurityDefaults {
    if (!cgroupnsMode.equals("host") && !cgroupnsMode.equals("private")) {
      throw new InvalidArgumentException("invalid default cgroup namespace (" + cgroupnsMode
          + "): use \"host\" or \"private\"");
    }
    if (customSeccomp == null && !seccompProfile.equals(SecurityOptions.BUILTIN)
        && !seccompProfile.equals(SecurityOptions.UNCONFINED)) {
      throw new IllegalArgumentException("seccomp profile " + seccompProfile + " was not read");
    }
  }

  /** dockerd's defaults on a host with or without a unified (v2-only) cgroup tree. */
  public static SecurityDefaults docker(boolean unifiedCgroups) {
    return new SecurityDefaults(false, SecurityOptions.BUILTIN, null, unifiedCgroups ? "private" : "host",
        unifiedCgroups, kernelHasSeccomp(), AppArmor.disabled());
  }

  /**
   * The daemon's seccomp-profile setting: empty or {@code builtin}, {@code unconfined}, or a file
   * read and checked now, so that a bad one stops the daemon at start.
   *
   * @throws InvalidArgumentException dockerd's "opening seccomp profile (...) failed: ..." or the
   *     profile's own error
   */
  public SecurityDefaults withSeccompProfile(String setting) {
    if (setting.isEmpty() || setting.equals(SecurityOptions.BUILTIN)) {
      return new SecurityDefaults(noNewPrivileges, SecurityOptions.BUILTIN, null, cgroupnsMode, unifiedCgroups,
          kernelSeccomp, appArmor);
    }
    if (setting.equals(SecurityOptions.UNCONFINED)) {
      return new SecurityDefaults(noNewPrivileges, setting, null, cgroupnsMode, unifiedCgroups, kernelSeccomp,
          appArmor);
    }
    return new SecurityDefaults(noNewPrivileges, setting, SeccompProfile.read(Path.of(setting)), cgroupnsMode,
        unifiedCgroups, kernelSeccomp, appArmor);
  }

  /** The daemon's profile, already read from {@code path}. */
  public SecurityDefaults withSeccompProfile(String path, SeccompProfile profile) {
    return new SecurityDefaults(noNewPrivileges, path, profile, cgroupnsMode, unifiedCgroups, kernelSeccomp,
        appArmor);
  }

  public SecurityDefaults withNoNewPrivileges(boolean on) {
    return new SecurityDefaults(on, seccompProfile, customSeccomp, cgroupnsMode, unifiedCgroups, kernelSeccomp,
        appArmor);
  }

  public SecurityDefaults withCgroupnsMode(String mode) {
    return new SecurityDefaults(noNewPrivileges, seccompProfile, customSeccomp, mode, unifiedCgroups, kernelSeccomp,
        appArmor);
  }

  public SecurityDefaults withAppArmor(AppArmor a) {
    return new SecurityDefaults(noNewPrivileges, seccompProfile, customSeccomp, cgroupnsMode, unifiedCgroups,
        kernelSeccomp, a);
  }

  /**
   * The profile a container runs under, null for none, as moby's WithSeccomp picks it: the
   * container's own choice, none for a privileged container that made none, else the daemon's.
   * A privileged container that asks for {@code builtin} gets it (dockerd would try to read
   * "builtin" as JSON).
   *
   * @throws InvalidArgumentException for a custom profile on a kernel without seccomp
   */
  public SeccompProfile seccompFor(SecurityOptions options, boolean privileged) {
    String own = options.seccompProfile();
    if (own.equals(SecurityOptions.UNCONFINED)) {
      return null;
    }
    if (privileged && own.isEmpty()) {
      return null;
    }
    if (!kernelSeccomp) {
      if (!own.isEmpty() && !own.equals(SecurityOptions.BUILTIN)) {
        throw new InvalidArgumentException("seccomp is not enabled in your kernel, cannot run a custom seccomp profile");
      }
      return null;
    }
    if (own.equals(SecurityOptions.BUILTIN)) {
      return SeccompProfile.builtin();
    }
    if (!own.isEmpty()) {
      return SeccompProfile.parse(own);
    }
    if (customSeccomp != null) {
      return customSeccomp;
    }
    return seccompProfile.equals(SecurityOptions.UNCONFINED) ? null : SeccompProfile.builtin();
  }

  /**
   * {@code docker info}'s SecurityOptions, in dockerd's order (daemon/info.go): apparmor, seccomp
   * with the daemon's profile, cgroupns when containers get a private one by default,
   * no-new-privileges when it is the daemon's default.
   */
  public java.util.List<String> infoOptions() {
    var out = new java.util.ArrayList<String>();
    if (appArmor.enabled()) {
      out.add("name=apparmor");
    }
    if (kernelSeccomp) {
      out.add("name=seccomp,profile=" + seccompProfile);
    }
    if (cgroupnsMode.equals("private")) {
      out.add("name=cgroupns");
    }
    if (noNewPrivileges) {
      out.add("name=no-new-privileges");
    }
    return java.util.List.copyOf(out);
  }

  /** dockerd's warning when its profile is not the builtin one. */
  public java.util.List<String> infoWarnings() {
    return kernelSeccomp && !seccompProfile.equals(SecurityOptions.BUILTIN)
        ? java.util.List.of("WARNING: daemon is not using the default seccomp profile") : java.util.List.of();
  }

  /** A kernel built with seccomp filtering shows a Seccomp line in /proc/self/status. */
  static boolean kernelHasSeccomp() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.startsWith("Seccomp:"));
    } catch (IOException e) {
      return false;
    }
  }
}
