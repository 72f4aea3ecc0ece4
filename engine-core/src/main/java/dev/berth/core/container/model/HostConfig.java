package dev.berth.core.container.model;

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
 * @param links legacy links on the default bridge ({@code --link})
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
    List<ContainerLink> links) {

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

  /** A host config without links. */
  public HostConfig(boolean autoRemove, String networkMode, RestartPolicy restartPolicy, int consoleHeight,
      int consoleWidth, boolean privileged, boolean readonlyRootfs, List<String> capAdd, List<String> capDrop,
      List<String> extraHosts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, Boolean init,
      Resources resources, StorageOptions storage, SecurityConfig security) {
    this(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, List.of());
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
    links = links == null ? List.of() : List.copyOf(links);
  }

  /** {@link #networkMode} as a type. */
  public NetworkMode network() {
    return NetworkMode.parse(networkMode);
  }

  public HostConfig withRestartPolicy(RestartPolicy p) {
    return new HostConfig(autoRemove, networkMode, p, consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd,
        capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, links);
  }

  public HostConfig withNetworkMode(String mode) {
    return new HostConfig(autoRemove, mode, restartPolicy, consoleHeight, consoleWidth, privileged, readonlyRootfs,
        capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, links);
  }

  public HostConfig withResources(Resources r) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, r, storage, security, links);
  }

  public HostConfig withStorage(StorageOptions s) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, s, security, links);
  }

  public HostConfig withSecurity(SecurityConfig s) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, s, links);
  }

  public HostConfig withLinks(List<ContainerLink> l) {
    return new HostConfig(autoRemove, networkMode, restartPolicy, consoleHeight, consoleWidth, privileged,
        readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch, dnsOptions, init, resources, storage, security, l);
  }
}
