package dev.berth.core.runtime;

import dev.berth.core.container.ContainerId;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the runtime needs to run a container. The rootfs is already mounted; what it holds
 * (users, working directory) has been resolved by the caller.
 *
 * @param capabilities the full capability set (bounding = effective = permitted)
 * @param logPath where the monitor writes the k8s-file log
 */
public record RunSpec(
    ContainerId id,
    Path rootfs,
    boolean readonlyRootfs,
    ProcessSpec process,
    String hostname,
    String domainname,
    NetworkNamespace network,
    List<BindMount> mounts,
    List<String> capabilities,
    boolean privileged,
    Path logPath) {

  public RunSpec {
    mounts = List.copyOf(mounts);
    capabilities = List.copyOf(capabilities);
  }
}
