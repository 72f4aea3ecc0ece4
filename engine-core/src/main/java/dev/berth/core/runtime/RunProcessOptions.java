package dev.berth.core.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's own rlimits, sysctls, devices and OOM score, resolved for the runtime.
 *
 * @param rlimits replace {@link DockerDefaults#RLIMITS} of the same type (and are not lowered to
 *     this process's hard limits, as dockerd does not lower them)
 * @param sysctls merged over berth's own (runc refuses those outside the container's namespaces)
 * @param devices nodes made in the container's /dev
 * @param deviceRules allowed after {@link DockerDefaults#DEVICE_RULES}; ignored when privileged
 * @param oomScoreAdj the processes' OOM score adjustment (exec processes get it too)
 */
public record RunProcessOptions(List<DockerDefaults.Rlimit> rlimits, Map<String, String> sysctls,
    List<DeviceNode> devices, List<DockerDefaults.DeviceRule> deviceRules, int oomScoreAdj) {

  public static final RunProcessOptions NONE = new RunProcessOptions(null, null, null, null, 0);

  public RunProcessOptions {
    rlimits = rlimits == null ? List.of() : List.copyOf(rlimits);
    sysctls = sysctls == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    devices = devices == null ? List.of() : List.copyOf(devices);
    deviceRules = deviceRules == null ? List.of() : List.copyOf(deviceRules);
  }

  /** The defaults with each of {@link #rlimits} in place of the default of its type. */
  public List<DockerDefaults.Rlimit> effectiveRlimits(HostLimits host) {
    var out = new java.util.ArrayList<DockerDefaults.Rlimit>();
    for (var limit : DockerDefaults.RLIMITS) {
      if (rlimits.stream().noneMatch(r -> r.type().equals(limit.type()))) {
        out.add(limit.clampTo(host.hardLimit(limit.type())));
      }
    }
    out.addAll(rlimits);
    return List.copyOf(out);
  }
}
