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
 * @param logPath where the monitor spools the k8s-file log; null for no log at all ({@code --log-driver none})
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
 * @param placement which of the engine's OCI runtimes runs it, and its cgroup parent
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
    RunProcessOptions processOptions,
    Placement placement) {

  /**
   * @param runtime the name of one of the engine's runtimes; empty for the default
   * @param cgroupParent an absolute cgroup path; empty for the engine's parent
   */
  public record Placement(String runtime, String cgroupParent) {
    public static final Placement DEFAULT = new Placement("", "");

    public Placement {
      runtime = runtime == null ? "" : runtime;
      cgroupParent = cgroupParent == null ? "" : cgroupParent;
      if (!cgroupParent.isEmpty() && (!cgroupParent.startsWith("/") || cgroupParent.equals("/"))) {
        // A relative cgroupsPath nests under the runtime's own cgroup: never what we want.
        throw new IllegalArgumentException("cgroup parent must be an absolute, non-root path: " + cgroupParent);
      }
    }
  }

  public RunSpec {
    placement = placement == null ? Placement.DEFAULT : placement;
    processOptions = processOptions == null ? RunProcessOptions.NONE : processOptions;
    security = security == null ? RunSecurity.NONE : security;
    mounts = List.copyOf(mounts);
    shmSize = shmSize <= 0 ? DockerDefaults.SHM_SIZE : shmSize;
    capabilities = List.copyOf(capabilities);
    resources = resources == null ? Resources.NONE : resources;
    namespaces = namespaces == null ? RunNamespaces.PRIVATE : namespaces;
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /**
   * A spec with namespaces of its own, no annotations and no process options of its own, run by
   * the engine's default runtime under its cgroup parent.
   */
  public RunSpec(ContainerId id, Path rootfs, boolean readonlyRootfs, ProcessSpec process, String hostname,
      String domainname, NetworkNamespace network, List<RunMount> mounts, List<String> capabilities,
      boolean privileged, Path logPath, Resources resources, boolean init, long shmSize, RunSecurity security) {
    this(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities, privileged,
        logPath, resources, init, shmSize, security, RunNamespaces.PRIVATE, Map.of(), RunProcessOptions.NONE,
        Placement.DEFAULT);
  }

  /** The same spec sharing the given namespaces. */
  public RunSpec withNamespaces(RunNamespaces n) {
    return new RunSpec(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities,
        privileged, logPath, resources, init, shmSize, security, n, annotations, processOptions, placement);
  }

  /** The same spec with the given process options. */
  public RunSpec withProcessOptions(RunProcessOptions o) {
    return new RunSpec(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities,
        privileged, logPath, resources, init, shmSize, security, namespaces, annotations, o, placement);
  }

  /** The same spec run by the given runtime under the given cgroup parent. */
  public RunSpec withPlacement(Placement p) {
    return new RunSpec(id, rootfs, readonlyRootfs, process, hostname, domainname, network, mounts, capabilities,
        privileged, logPath, resources, init, shmSize, security, namespaces, annotations, processOptions, p);
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
