package dev.berth.server.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.server.container.ContainerJson;
import dev.berth.server.image.ImageJson;
import dev.berth.server.volume.VolumeJson;
import java.util.List;
import java.util.Map;

/** Wire shapes of the system endpoints; field names are the spec's. */
final class SystemJson {

  private SystemJson() {}

  record Platform(String Name) {}

  record Component(String Name, String Version, Map<String, String> Details) {}

  record Version(
      Platform Platform,
      List<Component> Components,
      String Version,
      String ApiVersion,
      String MinAPIVersion,
      String GitCommit,
      String GoVersion,
      String Os,
      String Arch,
      String KernelVersion,
      boolean Experimental,
      String BuildTime) {}

  record RuntimeJson(String path) {}

  /**
   * EventMessage. {@code status}, {@code id} and {@code from} are deprecated; dockerd still sends
   * them for container and image events (from: a container's image), and compose reads them.
   */
  record EventMessage(
      @JsonInclude(JsonInclude.Include.NON_NULL) String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String id,
      @JsonInclude(JsonInclude.Include.NON_NULL) String from,
      String Type,
      String Action,
      EventActor Actor,
      String scope,
      long time,
      long timeNano) {}

  record EventActor(String ID, Map<String, String> Attributes) {}

  /** moby types.DiskUsage: a kind not asked for is null. */
  record DiskUsage(Long LayersSize, List<ImageJson.Summary> Images, List<ContainerJson.Summary> Containers,
      List<VolumeJson.Volume> Volumes, List<BuildCache> BuildCache) {}

  /** A build cache record; berth has no builder, so the list is always empty. */
  record BuildCache(String ID, String Type, long Size) {}

  /** @param RemoteManagers null: berth is never part of a swarm */
  record Swarm(String NodeID, String NodeAddr, String LocalNodeState, boolean ControlAvailable, String Error,
      List<Peer> RemoteManagers) {}

  /** A swarm manager's node ID and address (moby swarm.Peer). */
  record Peer(String NodeID, String Addr) {}

  /** A resource a node advertises (moby swarm.GenericResource); berth advertises none. */
  record GenericResource(NamedResource NamedResourceSpec, DiscreteResource DiscreteResourceSpec) {}

  record NamedResource(String Kind, String Value) {}

  record DiscreteResource(String Kind, long Value) {}

  record Plugins(List<String> Volume, List<String> Network, List<String> Authorization, List<String> Log) {}

  record Commit(String ID) {}

  record IndexInfo(String Name, List<String> Mirrors, boolean Secure, boolean Official) {}

  record RegistryConfig(List<String> InsecureRegistryCIDRs, Map<String, IndexInfo> IndexConfigs, List<String> Mirrors) {}

  record Info(
      String ID,
      int Containers,
      int ContainersRunning,
      int ContainersPaused,
      int ContainersStopped,
      int Images,
      String Driver,
      List<List<String>> DriverStatus,
      Plugins Plugins,
      boolean MemoryLimit,
      boolean SwapLimit,
      boolean CpuCfsPeriod,
      boolean CpuCfsQuota,
      boolean CPUShares,
      boolean CPUSet,
      boolean PidsLimit,
      boolean IPv4Forwarding,
      boolean Debug,
      int NFd,
      boolean OomKillDisable,
      int NGoroutines,
      String SystemTime,
      String LoggingDriver,
      String CgroupDriver,
      String CgroupVersion,
      int NEventsListener,
      String KernelVersion,
      String OperatingSystem,
      String OSVersion,
      String OSType,
      String Architecture,
      int NCPU,
      long MemTotal,
      String IndexServerAddress,
      RegistryConfig RegistryConfig,
      List<GenericResource> GenericResources,
      String HttpProxy,
      String HttpsProxy,
      String NoProxy,
      String Name,
      List<String> Labels,
      boolean ExperimentalBuild,
      String ServerVersion,
      Map<String, RuntimeJson> Runtimes,
      String DefaultRuntime,
      Swarm Swarm,
      boolean LiveRestoreEnabled,
      String Isolation,
      String InitBinary,
      Commit ContainerdCommit,
      Commit RuncCommit,
      Commit InitCommit,
      List<String> SecurityOptions,
      List<String> CDISpecDirs,
      List<String> Warnings,
      String DockerRootDir) {}
}
