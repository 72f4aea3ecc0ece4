package dev.berth.store.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.store.Documents;
import java.util.List;

/**
 * {@code hostConfig} of {@code containers.config_json}: a {@link HostConfig}. Rows from before
 * berth kept {@code storage} (and {@code security}) lack them; they read as none.
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
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LinkDoc> links) {

  static HostConfigDoc of(HostConfig h) {
    return new HostConfigDoc(h.autoRemove(), h.networkMode(), Documents.map(h.restartPolicy(), RestartPolicyDoc::of),
        h.consoleHeight(), h.consoleWidth(), h.privileged(), h.readonlyRootfs(), h.capAdd(), h.capDrop(),
        h.extraHosts(), h.dns(), h.dnsSearch(), h.dnsOptions(), h.init(),
        Documents.map(h.resources(), ResourcesDoc::of), Documents.map(h.storage(), StorageDoc::of),
        Documents.map(h.security(), SecurityDoc::of), Documents.mapEach(h.links(), LinkDoc::of));
  }

  HostConfig toCore() {
    return new HostConfig(autoRemove, networkMode, Documents.map(restartPolicy, RestartPolicyDoc::toCore),
        consoleHeight, consoleWidth, privileged, readonlyRootfs, capAdd, capDrop, extraHosts, dns, dnsSearch,
        dnsOptions, init, Documents.map(resources, ResourcesDoc::toCore), Documents.map(storage, StorageDoc::toCore),
        Documents.map(security, SecurityDoc::toCore)).withLinks(Documents.mapEach(links, LinkDoc::toCore));
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
      Long cpuQuota, Long nanoCpus, String cpusetCpus, String cpusetMems, Long pidsLimit) {

    static ResourcesDoc of(Resources r) {
      return new ResourcesDoc(r.memory(), r.memorySwap(), r.memoryReservation(), r.cpuShares(), r.cpuPeriod(),
          r.cpuQuota(), r.nanoCpus(), r.cpusetCpus(), r.cpusetMems(), r.pidsLimit());
    }

    Resources toCore() {
      return new Resources(memory, memorySwap, memoryReservation, cpuShares, cpuPeriod, cpuQuota, nanoCpus, cpusetCpus,
          cpusetMems, pidsLimit);
    }
  }
}
