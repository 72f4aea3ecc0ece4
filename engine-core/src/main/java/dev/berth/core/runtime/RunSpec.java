package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * @param mounts binds and tmpfs mounts in mount order (parents before children)
 * @param shmSize bytes of /dev/shm; 0 for dockerd's default
 * @param security seccomp, no_new_privs, AppArmor, cgroup namespace, masked and read-only paths
 * @param namespaces the PID, IPC and UTS namespaces it shares, and its /dev/shm
 * @param annotations the OCI spec's annotations ({@code HostConfig.Annotations})
 * @param processOptions rlimits, sysctls, devices, device cgroup rules and OOM score
 */
public record RunSpec(
    ContainerId id,
    Path rootfs,
    boolean readonlyRootfs,
    ProcessSpec process,
    String hostname,
    String domainname,
    NetworkNamespace network,
    List<RunMount> mounts,
    List<String> capabilities,
    boolean privileged,
    Path logPath,
    Resources resources,
    boolean init,
    long shmSize,
    RunSecurity security,
    RunNamespaces namespaces,
    Map<String, String> annotations,
    RunProcessOptions processOptions) {

  public RunSpec {
    processOptions = processOptions == null ? RunProcessOptions.NONE : processOptions;
    security = security == null ? RunSecurity.NONE : security;
    mounts = List.copyOf(mounts);
    shmSize = shmSize <= 0 ? DockerDefaults.SHM_SIZE : shmSize;
    capabilities = List.copyOf(capabilities);
    resources = resources == null ? Resources.NONE : resources;
    namespaces = namespaces == null ? RunNamespaces.PRIVATE : namespaces;
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A spec with namespaces of its own, no annotations and no process options of its own. */
  public RunSpec(ContainerId id, Path rootfs, boolean readonlyRootfs, ProcessSpec process, String hostname,
      String domainname, NetworkNamespace network, List<RunMount> mounts, List<String> capabilities,
      boolean privileged, Path logPath, Resources resources, boolean init, long shmSize, RunSecurity security) {
    this(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities, privileged,
        logPath, resources, init, shmSize, security, RunNamespaces.PRIVATE, Map.of(), RunProcessOptions.NONE);
  }

  /** The same spec sharing the given namespaces. */
  public RunSpec withNamespaces(RunNamespaces n) {
    return new RunSpec(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities,
        privileged, logPath, resources, init, shmSize, security, n, annotations, processOptions);
  }

  /** The same spec with the given process options. */
  public RunSpec withProcessOptions(RunProcessOptions o) {
    return new RunSpec(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities,
        privileged, logPath, resources, init, shmSize, security, namespaces, annotations, o);
  }

  /** A spec with dockerd's default /dev/shm size. */
  public RunSpec(ContainerId id, Path rootfs, boolean readonlyRootfs, ProcessSpec process, String hostname,
      String domainname, NetworkNamespace network, List<? extends RunMount> mounts, List<String> capabilities,
      boolean privileged, Path logPath, Resources resources, boolean init) {
    this(id, rootfs, readonlyRootfs, process, hostname, domainname, network, List.copyOf(mounts), capabilities,
        privileged, logPath, resources, init, 0, RunSecurity.NONE);
  }

  /** A spec with the given /dev/shm size and no confinement beyond capabilities ({@link RunSecurity#NONE}). */
  public RunSpec(ContainerId id, Path rootfs, boolean readonlyRootfs, ProcessSpec process, String hostname,
      String domainname, NetworkNamespace network, List<RunMount> mounts, List<String> capabilities,
      boolean privileged, Path logPath, Resources resources, boolean init, long shmSize) {
    this(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities, privileged,
        logPath, resources, init, shmSize, RunSecurity.NONE);
  }
}
