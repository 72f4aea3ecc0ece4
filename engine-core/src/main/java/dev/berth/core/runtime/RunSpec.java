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
 * @param resources cgroup limits; null for none
 * @param init run the process under the engine's init ({@code docker run --init}): the host's
 *     tini bound read-only at {@code /sbin/docker-init} as PID 1, which reaps orphans and
 *     forwards signals. It belongs here rather than in {@link ProcessSpec}: exec processes never
 *     get one.
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
    Path logPath,
    Resources resources,
    boolean init) {

  public RunSpec {
    mounts = List.copyOf(mounts);
    capabilities = List.copyOf(capabilities);
    resources = resources == null ? Resources.NONE : resources;
  }
}
