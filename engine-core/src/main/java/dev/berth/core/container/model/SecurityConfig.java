package dev.berth.core.container.model;

import java.util.List;

/**
 * The confinement part of a HostConfig: what the client gave, completed at create with the
 * daemon's defaults the way dockerd records them (inspect shows these values).
 *
 * @param securityOpt {@code --security-opt} as given (the CLI has already replaced a seccomp file
 *     name by its content), plus dockerd's {@code label=disable} for a privileged container
 * @param cgroupnsMode {@code host} or {@code private}; empty on a record made before berth
 *     honoured it (such a container ran in the host's cgroup namespace)
 * @param maskedPaths null when not given (and, after create, for a privileged container)
 * @param readonlyPaths as maskedPaths
 * @param options {@code securityOpt} parsed with the daemon's no-new-privileges default of the
 *     time of create; null on a record made before berth kept it
 */
public record SecurityConfig(List<String> securityOpt, String cgroupnsMode, List<String> maskedPaths,
    List<String> readonlyPaths, SecurityOptions options) {

  public static final SecurityConfig NONE = new SecurityConfig(null, null, null, null, null);

  public SecurityConfig {
    securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
    cgroupnsMode = cgroupnsMode == null ? "" : cgroupnsMode;
    // null and [] differ: [] (the CLI's systempaths=unconfined) masks nothing.
    maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
    readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
  }

  /** The parsed options; a record from before they were kept is read from its SecurityOpt. */
  public SecurityOptions parsedOptions() {
    return options != null ? options : SecurityOptions.parse(securityOpt, false);
  }

  /** Whether the container has a cgroup namespace of its own. */
  public boolean privateCgroupns() {
    return cgroupnsMode.equals("private");
  }

  /** CgroupnsMode as inspect reports it: an old record's container ran in the host's. */
  public String effectiveCgroupnsMode() {
    return cgroupnsMode.isEmpty() ? "host" : cgroupnsMode;
  }
}
