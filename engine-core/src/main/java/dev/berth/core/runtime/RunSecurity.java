package dev.berth.core.runtime;

import dev.berth.core.seccomp.SeccompProfile;
import java.util.List;

/**
 * How a container's processes are confined besides their capabilities.
 *
 * @param seccomp the profile to resolve against the container's capabilities, the host's
 *     architecture and kernel; null to run without a filter
 * @param appArmorProfile the profile runc puts the process in; empty for none
 * @param cgroupNamespace a cgroup namespace of its own ({@code CgroupnsMode} private)
 * @param maskedPaths paths hidden from the container; null for Docker's defaults (none when
 *     privileged)
 * @param readonlyPaths paths mounted read-only; null as for maskedPaths
 * @param writableCgroups whether /sys/fs/cgroup is writable; null for "when privileged"
 */
public record RunSecurity(SeccompProfile seccomp, boolean noNewPrivileges, String appArmorProfile,
    boolean cgroupNamespace, List<String> maskedPaths, List<String> readonlyPaths, Boolean writableCgroups) {

  /** No filter, no profile, the host's cgroup namespace, Docker's masked and read-only paths. */
  public static final RunSecurity NONE = new RunSecurity(null, false, "", false, null, null, null);

  public RunSecurity {
    appArmorProfile = appArmorProfile == null ? "" : appArmorProfile;
    maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
    readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
  }
}
