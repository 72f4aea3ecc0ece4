package dev.berth.store.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.logs.LogConfig;
import dev.berth.store.Documents;
import java.util.List;

/**
 * {@code hostConfig} of {@code containers.config_json}: a {@link HostConfig}. Rows from before
 * berth kept {@code storage} (and {@code security}, {@code namespaces}, {@code process}) lack them; they read as none.
 */
record HostConfigDoc(
    boolean autoRemove,
    String networkMode,
    RestartPolicyDoc restartPolicy,
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
    ResourcesDoc resources,
    StorageDoc storage,
    SecurityDoc security,
    NamespacesDoc namespaces,
    ProcessDoc process,
    RuntimeOptionsDoc runtimeOptions,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LinkDoc> links,
    @JsonInclude(JsonInclude.Include.NON_NULL) LogConfigDoc logConfig) {

  static HostConfigDoc of(HostConfig h) {
    return new HostConfigDoc(h.autoRemove(), h.networkMode(), Documents.map(h.restartPolicy(), RestartPolicyDoc::of),
        h.consoleHeight(), h.consoleWidth(), h.privileged(), h.readonlyRootfs(), h.capAdd(), h.capDrop(),
        h.extraHosts(), h.dns(), h.dnsSearch(), h.dnsOptions(), h.init(),
        Documents.map(h.resources(), ResourcesDoc::of), Documents.map(h.storage(), StorageDoc::of),
        Documents.map(h.security(), SecurityDoc::of), Documents.map(h.namespaces(), NamespacesDoc::of),
        Documents.map(h.process(), ProcessDoc::of),
        Documents.map(h.runtimeOptions(), RuntimeOptionsDoc::of),
        Documents.mapEach(h.links(), LinkDoc::of),
        // dockerd's default is left out, so rows from before drivers and rows using it read alike.
        h.logConfig().equals(LogConfig.DEFAULT) ? null : LogConfigDoc.of(h.logConfig()));
  }

  HostConfig toCore() {
    return new HostConfig(autoRemove, networkMode, Documents.map(restartPolicy, RestartPolicyDoc::toCore),
        consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch,
        dnsOptions, init, Documents.map(resources, ResourcesDoc::toCore), Documents.map(storage, StorageDoc::toCore),
        Documents.map(security, SecurityDoc::toCore), Documents.map(namespaces, NamespacesDoc::toCore),
        Documents.map(process, ProcessDoc::toCore),
        Documents.map(runtimeOptions, RuntimeOptionsDoc::toCore),
        Documents.mapEach(links, LinkDoc::toCore),
        Documents.map(logConfig, LogConfigDoc::toCore));
  }

  /** The log driver and its options; rows from before drivers lack it and read as json-file without options. */
  record LogConfigDoc(String type, java.util.Map<String, String> config) {

    static LogConfigDoc of(LogConfig c) {
      return new LogConfigDoc(c.type(), c.config());
    }

    LogConfig toCore() {
      return new LogConfig(type, config);
    }
  }

  /** The runtime and cgroup parent; rows from before they were kept lack it and read as the daemon's. */
  record RuntimeOptionsDoc(String runtime, String cgroupParent) {

    static RuntimeOptionsDoc of(RuntimeOptions o) {
      return new RuntimeOptionsDoc(o.runtime(), o.cgroupParent());
    }

    RuntimeOptions toCore() {
      return new RuntimeOptions(runtime, cgroupParent);
    }
  }

  /** A legacy link; rows from before links lack {@code links}, which reads as none. */
  record LinkDoc(String container, String name, String alias) {

    static LinkDoc of(ContainerLink l) {
      return new LinkDoc(l.container(), l.name(), l.alias());
    }

    ContainerLink toCore() {
      return new ContainerLink(container, name, alias);
    }
  }

  record RestartPolicyDoc(String name, int maxRetryCount) {

    static RestartPolicyDoc of(RestartPolicy p) {
      return new RestartPolicyDoc(p.name(), p.maxRetryCount());
    }

    RestartPolicy toCore() {
      return new RestartPolicy(name, maxRetryCount);
    }
  }

  /**
   * Cgroup limits, null for unset. Rows written before this mapping also hold an {@code empty}
   * flag (a by-product of serialising the core record), which says nothing the fields do not;
   * it is ignored on read and no longer written.
   */
  record ResourcesDoc(Long memory, Long memorySwap, Long memoryReservation, Long cpuShares, Long cpuPeriod,
      Long cpuQuota, Long nanoCpus, String cpusetCpus, String cpusetMems, Long pidsLimit, Boolean oomKillDisable,
      Long memorySwappiness, Integer blkioWeight, List<WeightDeviceDoc> blkioWeightDevice,
      List<ThrottleDeviceDoc> blkioDeviceReadBps, List<ThrottleDeviceDoc> blkioDeviceWriteBps,
      List<ThrottleDeviceDoc> blkioDeviceReadIOps, List<ThrottleDeviceDoc> blkioDeviceWriteIOps,
      Long cpuRealtimePeriod, Long cpuRealtimeRuntime, Long kernelMemoryTcp) {

    static ResourcesDoc of(Resources r) {
      return new ResourcesDoc(r.memory(), r.memorySwap(), r.memoryReservation(), r.cpuShares(), r.cpuPeriod(),
          r.cpuQuota(), r.nanoCpus(), r.cpusetCpus(), r.cpusetMems(), r.pidsLimit(), r.oomKillDisable(),
          r.memorySwappiness(), r.blkioWeight(), weights(r.blkioWeightDevice()), throttles(r.blkioDeviceReadBps()),
          throttles(r.blkioDeviceWriteBps()), throttles(r.blkioDeviceReadIOps()), throttles(r.blkioDeviceWriteIOps()),
          r.cpuRealtimePeriod(), r.cpuRealtimeRuntime(), r.kernelMemoryTcp());
    }

    Resources toCore() {
      return new Resources(memory, memorySwap, memoryReservation, cpuShares, cpuPeriod, cpuQuota, nanoCpus, cpusetCpus,
          cpusetMems, pidsLimit, oomKillDisable, memorySwappiness, blkioWeight,
          blkioWeightDevice == null ? null : blkioWeightDevice.stream().map(WeightDeviceDoc::toCore).toList(),
          coreThrottles(blkioDeviceReadBps), coreThrottles(blkioDeviceWriteBps), coreThrottles(blkioDeviceReadIOps),
          coreThrottles(blkioDeviceWriteIOps), cpuRealtimePeriod, cpuRealtimeRuntime, null, kernelMemoryTcp);
    }

    private static List<WeightDeviceDoc> weights(List<Resources.WeightDevice> devices) {
      return devices == null ? null : devices.stream().map(d -> new WeightDeviceDoc(d.path(), d.weight())).toList();
    }

    private static List<ThrottleDeviceDoc> throttles(List<Resources.ThrottleDevice> devices) {
      return devices == null ? null : devices.stream().map(d -> new ThrottleDeviceDoc(d.path(), d.rate())).toList();
    }

    private static List<Resources.ThrottleDevice> coreThrottles(List<ThrottleDeviceDoc> devices) {
      return devices == null ? null : devices.stream().map(ThrottleDeviceDoc::toCore).toList();
    }
  }

  record WeightDeviceDoc(String path, int weight) {
    Resources.WeightDevice toCore() {
      return new Resources.WeightDevice(path, weight);
    }
  }

  record ThrottleDeviceDoc(String path, long rate) {
    Resources.ThrottleDevice toCore() {
      return new Resources.ThrottleDevice(path, rate);
    }
  }
}
