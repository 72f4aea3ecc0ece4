package dev.berth.core.container.model;

import dev.berth.core.logs.LogConfig;
import dev.berth.core.network.NetworkMode;
import java.util.List;

/**
 * How the host runs a container (the part of Docker's {@code HostConfig} the engine acts on).
 *
 * @param networkMode {@code default}, {@code bridge}, {@code none} or {@code host}
 * @param consoleHeight initial TTY rows, 0 when unknown
 * @param init null when unset, as Docker reports it
 * @param resources cgroup limits; applied at start and changed live by update
 * @param storage binds, mounts, tmpfs, volumes-from and shm size as the client gave them
 * @param security SecurityOpt, CgroupnsMode, MaskedPaths and ReadonlyPaths
 * @param namespaces PidMode, IpcMode, UTSMode, UsernsMode, Cgroup, Isolation and Annotations
 * @param process Ulimits, Sysctls, Devices, DeviceCgroupRules, GroupAdd and OomScoreAdj
 * @param runtimeOptions the OCI runtime and cgroup parent ({@code --runtime}, {@code --cgroup-parent})
 * @param links legacy links ({@code --link}) to other containers
 * @param logConfig the log driver and its options; create fills the daemon's in (an empty type is the daemon's)
 */
public record HostConfig(
    boolean autoRemove,
    String networkMode,
    RestartPolicy restartPolicy,
    int consoleHeight,
    int consoleWidth,
    boolean privileged,
    boolean readonlyRootfs,
    List<String> capAdd,
    List<String> capDrop,
    List<String> extraHosts,
    List<String> dns,
    List<String> dnsSearch,
    List<String> dnsOptions,
    Boolean init,
    Resources resources,
    StorageOptions storage,
    SecurityConfig security,
    NamespaceModes namespaces,
    ProcessOptions process,
    RuntimeOptions runtimeOptions,
    List<ContainerLink> links,
    LogConfig logConfig) {

  public static final HostConfig DEFAULT =
      new HostConfig(false, "default", RestartPolicy.NO, 0, 0, false, false, null, null, null, null, null, null, null, null);

  /** A host config without storage options. */
  public HostConfig(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, int consoleHeight,
      int consoleWidth, boolean privileged, boolean readonlyRootfs, List<String> capAdd, List<String> capDrop,
      List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Boolean init,
      Resources resources) {
    this(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, StorageOptions.NONE);
  }

  /** A host config without security options. */
  public HostConfig(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, int consoleHeight,
      int consoleWidth, boolean privileged, boolean readonlyRootfs, List<String> capAdd, List<String> capDrop,
      List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Boolean init,
      Resources resources, StorageOptions storage) {
    this(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, SecurityConfig.NONE);
  }

  /**
   * A host config with none of the groups after {@code security}: each is set with its {@code with}
   * method.
   */
  public HostConfig(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, int consoleHeight,
      int consoleWidth, boolean privileged, boolean readonlyRootfs, List<String> capAdd, List<String> capDrop,
      List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Boolean init,
      Resources resources, StorageOptions storage, SecurityConfig security) {
    this(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, NamespaceModes.NONE,
        ProcessOptions.NONE, RuntimeOptions.NONE, List.of());
  }

  public HostConfig {
    networkMode = networkMode == null || networkMode.isEmpty() ? "default" : networkMode;
    restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    dns = dns == null ? List.of() : List.copyOf(dns);
    dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
    dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
    resources = resources == null ? Resources.NONE : resources;
    storage = storage == null ? StorageOptions.NONE : storage;
    security = security == null ? SecurityConfig.NONE : security;
    namespaces = namespaces == null ? NamespaceModes.NONE : namespaces;
    process = process == null ? ProcessOptions.NONE : process;
    runtimeOptions = runtimeOptions == null ? RuntimeOptions.NONE : runtimeOptions;
    links = links == null ? List.of() : List.copyOf(links);
    logConfig = logConfig == null ? LogConfig.DEFAULT : logConfig;
  }

  /** A host config with the default log driver (json-file): see {@link #withLogConfig}. */
  public HostConfig(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, int consoleHeight,
      int consoleWidth, boolean privileged, boolean readonlyRootfs, List<String> capAdd, List<String> capDrop,
      List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Boolean init,
      Resources resources, StorageOptions storage, SecurityConfig security, NamespaceModes namespaces,
      ProcessOptions process, RuntimeOptions runtimeOptions, List<ContainerLink> links) {
    this(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, namespaces, process,
        runtimeOptions, links, LogConfig.DEFAULT);
  }

  public HostConfig withLogConfig(LogConfig v) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security,
        namespaces, process, runtimeOptions, links, v);
  }

  /** {@link #networkMode} as a type. */
  public NetworkMode network() {
    return NetworkMode.parse(networkMode);
  }

  public HostConfig withRestartPolicy(RestartPolicy p) {
    return new HostConfig(autoRemove, networkMode, p, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, namespaces, process,
        runtimeOptions, links, logConfig);
  }

  public HostConfig withNetworkMode(String mode) {
    return new HostConfig(autoRemove, mode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs,
        capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, namespaces,
        process, runtimeOptions, links, logConfig);
  }

  public HostConfig withResources(Resources r) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, r, storage, security,
        namespaces, process, runtimeOptions, links, logConfig);
  }

  public HostConfig withStorage(StorageOptions s) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, s, security,
        namespaces, process, runtimeOptions, links, logConfig);
  }

  public HostConfig withSecurity(SecurityConfig s) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, s,
        namespaces, process, runtimeOptions, links, logConfig);
  }

  public HostConfig withNamespaces(NamespaceModes v) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security,
        v, process, runtimeOptions, links, logConfig);
  }

  public HostConfig withProcess(ProcessOptions v) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security,
        namespaces, v, runtimeOptions, links, logConfig);
  }

  public HostConfig withRuntimeOptions(RuntimeOptions v) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security,
        namespaces, process, v, links, logConfig);
  }

  public HostConfig withLinks(List<ContainerLink> v) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security,
        namespaces, process, runtimeOptions, v, logConfig);
  }
}
