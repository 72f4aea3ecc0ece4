package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a HostConfig that shapes the container's processes and the devices they see, as
 * the client gave it (inspect echoes it). dockerd checks only the OOM score at create; the rest is
 * refused at start as dockerd and runc refuse it (a device that is missing then, a group the
 * image lacks, a malformed device cgroup rule, an rlimit or sysctl runc will not set).
 *
 * @param ulimits {@code --ulimit}: rlimits that replace the engine's defaults of the same name,
 *     for the container's processes and its exec processes
 * @param sysctls {@code --sysctl}, in the order given
 * @param devices {@code --device}: host device nodes (or directories of them) made in the
 *     container's /dev and allowed in its device cgroup
 * @param deviceCgroupRules {@code --device-cgroup-rule}: {@code type major:minor access}
 * @param groupAdd {@code --group-add}: group names (looked up in the container's /etc/group) or ids
 * @param oomScoreAdj the processes' /proc/self/oom_score_adj, -1000 to 1000
 */
public record ProcessOptions(List<Ulimit> ulimits, Map<String, String> sysctls, List<DeviceMapping> devices,
    List<String> deviceCgroupRules, List<String> groupAdd, int oomScoreAdj) {

  public static final ProcessOptions NONE = new ProcessOptions(null, null, null, null, null, 0);

  public ProcessOptions {
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    sysctls = sysctls == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    devices = devices == null ? List.of() : List.copyOf(devices);
    deviceCgroupRules = deviceCgroupRules == null ? List.of() : List.copyOf(deviceCgroupRules);
    groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
    if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
      // moby daemon_unix.go verifyPlatformContainerSettings, at create.
      throw new InvalidArgumentException(
          "Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
    }
  }

  /**
   * One {@code HostConfig.Ulimits} entry. dockerd passes it to the runtime unchecked; runc refuses
   * an unknown name and the kernel a soft limit above the hard one, at start.
   *
   * @param name as given ({@code nofile}); the rlimit is {@code RLIMIT_} and its upper case
   * @param soft -1 (or any value whose unsigned form is all ones) for unlimited
   */
  public record Ulimit(String name, long soft, long hard) {
    public Ulimit {
      name = name == null ? "" : name;
    }

    /** The OCI rlimit type, as moby's withRlimits names it. */
    public String rlimitType() {
      return "RLIMIT_" + name.toUpperCase(java.util.Locale.ROOT);
    }

    /** The names go-units (and so dockerd's flags) know. */
    private static final java.util.Set<String> NAMES = java.util.Set.of("as", "core", "cpu", "data", "fsize",
        "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending",
        "stack");

    /**
     * go-units ParseUlimit: {@code name=soft[:hard]} (the hard limit is the soft one when absent),
     * the name one go-units knows, soft at most hard; in its words.
     *
     * @throws dev.berth.core.error.InvalidArgumentException for anything else
     */
    public static Ulimit parse(String value) {
      String[] parts = value.split("=", 2);
      if (parts.length != 2) {
        throw new dev.berth.core.error.InvalidArgumentException("invalid ulimit argument: " + value);
      }
      String[] limits = parts[1].split(":", -1);
      if (limits.length > 2) {
        throw new dev.berth.core.error.InvalidArgumentException("too many limit value arguments - " + parts[1]
            + ", can only have up to two, `soft[:hard]`");
      }
      long soft = number(limits[0]);
      long hard = limits.length == 2 ? number(limits[1]) : soft;
      return checked(parts[0], soft, hard);
    }

    /** A ulimit with a name go-units knows and soft at most hard, in its words. */
    public static Ulimit checked(String name, long soft, long hard) {
      if (!NAMES.contains(name)) {
        throw new dev.berth.core.error.InvalidArgumentException("invalid ulimit type: " + name);
      }
      if (soft > hard) {
        throw new dev.berth.core.error.InvalidArgumentException(
            "ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
      }
      return new Ulimit(name, soft, hard);
    }

    private static long number(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new dev.berth.core.error.InvalidArgumentException("strconv.ParseInt: parsing " + goQuote(s)
            + ": invalid syntax");
      }
    }

    private static String goQuote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  /**
   * One {@code HostConfig.Devices} entry, as given (the docker CLI fills every field).
   *
   * @param pathInContainer where the node appears; empty for the host path
   * @param cgroupPermissions some of {@code rwm}; empty for all three
   */
  public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    public DeviceMapping {
      pathOnHost = pathOnHost == null ? "" : pathOnHost;
      pathInContainer = pathInContainer == null ? "" : pathInContainer;
      cgroupPermissions = cgroupPermissions == null ? "" : cgroupPermissions;
    }

    /** Where the node appears in the container. */
    public String target() {
      return pathInContainer.isEmpty() ? pathOnHost : pathInContainer;
    }

    /** What the device cgroup allows. */
    public String access() {
      return cgroupPermissions.isEmpty() ? "rwm" : cgroupPermissions;
    }
  }
}
