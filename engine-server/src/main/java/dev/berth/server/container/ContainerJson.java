package dev.berth.server.container;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.api.Json;
import java.util.List;
import java.util.Map;

/**
 * Wire shapes of the container endpoints. Field names are the spec's exactly; the same records
 * serve requests (Jackson reads them case-insensitively) and responses.
 */
public final class ContainerJson {

  private ContainerJson() {}

  record HealthConfig(List<String> Test, long Interval, long Timeout, long StartPeriod, long StartInterval, int Retries) {}

  /** Resolves the create and inspect bodies' (de)serializers now, which the mapper keeps (a warm-up after start). */
  public static void resolve() {
    Json.MAPPER.readerFor(Config.class);
    Json.MAPPER.readerFor(CreateExtras.class);
    Json.MAPPER.writerFor(Inspect.class);
  }

  /** Config in create requests and in inspect. */
  record Config(
      String Hostname,
      String Domainname,
      String User,
      boolean AttachStdin,
      boolean AttachStdout,
      boolean AttachStderr,
      Map<String, Map<String, Object>> ExposedPorts,
      boolean Tty,
      boolean OpenStdin,
      boolean StdinOnce,
      // A plain list in Go (Cmd and Entrypoint are strslice, Env is not): a lone string is a 400.
      @JsonFormat(without = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> Env,
      List<String> Cmd,
      // dockerd leaves an unset healthcheck out (omitempty), where it writes other unset fields as null.
      @JsonInclude(JsonInclude.Include.NON_NULL) HealthConfig Healthcheck,
      Boolean ArgsEscaped,
      String Image,
      Map<String, Map<String, Object>> Volumes,
      String WorkingDir,
      List<String> Entrypoint,
      Boolean NetworkDisabled,
      String MacAddress,
      List<String> OnBuild,
      Map<String, String> Labels,
      String StopSignal,
      Integer StopTimeout,
      List<String> Shell) {}

  record RestartPolicy(String Name, int MaximumRetryCount) {}

  record LogConfig(String Type, Map<String, String> Config) {}

  /** HostConfig in create requests and in inspect, every key present as dockerd writes it. */
  record HostConfig(
      List<String> Binds,
      String ContainerIDFile,
      LogConfig LogConfig,
      String NetworkMode,
      Map<String, JsonNode> PortBindings,
      RestartPolicy RestartPolicy,
      boolean AutoRemove,
      String VolumeDriver,
      List<String> VolumesFrom,
      List<Integer> ConsoleSize,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> Annotations,
      List<String> CapAdd,
      List<String> CapDrop,
      String CgroupnsMode,
      List<String> Dns,
      List<String> DnsOptions,
      List<String> DnsSearch,
      List<String> ExtraHosts,
      List<String> GroupAdd,
      String IpcMode,
      String Cgroup,
      List<String> Links,
      int OomScoreAdj,
      String PidMode,
      boolean Privileged,
      boolean PublishAllPorts,
      boolean ReadonlyRootfs,
      List<String> SecurityOpt,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> StorageOpt,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> Tmpfs,
      String UTSMode,
      String UsernsMode,
      long ShmSize,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> Sysctls,
      String Runtime,
      String Isolation,
      long CpuShares,
      long Memory,
      long NanoCpus,
      String CgroupParent,
      int BlkioWeight,
      List<JsonNode> BlkioWeightDevice,
      List<JsonNode> BlkioDeviceReadBps,
      List<JsonNode> BlkioDeviceWriteBps,
      List<JsonNode> BlkioDeviceReadIOps,
      List<JsonNode> BlkioDeviceWriteIOps,
      long CpuPeriod,
      long CpuQuota,
      long CpuRealtimePeriod,
      long CpuRealtimeRuntime,
      String CpusetCpus,
      String CpusetMems,
      List<DeviceMapping> Devices,
      List<String> DeviceCgroupRules,
      List<JsonNode> DeviceRequests,
      long MemoryReservation,
      long MemorySwap,
      Long MemorySwappiness,
      Boolean OomKillDisable,
      Long PidsLimit,
      List<Ulimit> Ulimits,
      long CpuCount,
      long CpuPercent,
      long IOMaximumIOps,
      long IOMaximumBandwidth,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Mount> Mounts,
      Boolean Init,
      List<String> MaskedPaths,
      List<String> ReadonlyPaths,
      // omitempty in Go: inspect leaves it out when unset.
      @JsonInclude(JsonInclude.Include.NON_NULL) Long KernelMemoryTCP) {}

  /** A {@code HostConfig.Ulimits} entry (go-units Ulimit, whose fields come in this order). */
  record Ulimit(String Name, long Hard, long Soft) {}

  /** A {@code HostConfig.Devices} entry (moby api/types/container DeviceMapping). */
  record DeviceMapping(String PathOnHost, String PathInContainer, String CgroupPermissions) {}

  /** A {@code HostConfig.Mounts} entry (moby api/types/mount); every field is omitempty in Go. */
  record Mount(
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Type,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Source,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Target,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean ReadOnly,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Consistency,
      @JsonInclude(JsonInclude.Include.NON_NULL) BindOptions BindOptions,
      @JsonInclude(JsonInclude.Include.NON_NULL) VolumeOptions VolumeOptions,
      @JsonInclude(JsonInclude.Include.NON_NULL) TmpfsOptions TmpfsOptions) {}

  record BindOptions(
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Propagation,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean NonRecursive,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean CreateMountpoint,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean ReadOnlyNonRecursive,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean ReadOnlyForceRecursive) {}

  record VolumeDriver(
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Name,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> Options) {}

  record VolumeOptions(
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean NoCopy,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> Labels,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) String Subpath,
      @JsonInclude(JsonInclude.Include.NON_NULL) VolumeDriver DriverConfig) {}

  /** @param Mode Go's os.FileMode: permission bits as a plain number */
  record TmpfsOptions(
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) long SizeBytes,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int Mode,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<String>> Options) {}

  /** An entry of inspect's and the list's {@code Mounts} (moby container.MountPoint). */
  record MountPoint(
      String Type,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String Name,
      String Source,
      String Destination,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String Driver,
      String Mode,
      boolean RW,
      String Propagation) {}

  /** The parts of a create body beside Config's fields. */
  record CreateExtras(HostConfig HostConfig, JsonNode NetworkingConfig) {}

  record CreateResponse(String Id, List<String> Warnings) {}

  record HealthResult(String Start, String End, int ExitCode, String Output) {}

  record Health(String Status, int FailingStreak, List<HealthResult> Log) {}

  record State(
      String Status,
      boolean Running,
      boolean Paused,
      boolean Restarting,
      boolean OOMKilled,
      boolean Dead,
      int Pid,
      int ExitCode,
      String Error,
      String StartedAt,
      String FinishedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Health Health) {}

  record GraphDriver(String Name, Map<String, String> Data) {}

  record Endpoint(
      JsonNode IPAMConfig,
      List<String> Links,
      String MacAddress,
      List<String> Aliases,
      Map<String, String> DriverOpts,
      int GwPriority,
      String NetworkID,
      String EndpointID,
      String Gateway,
      String IPAddress,
      int IPPrefixLen,
      String IPv6Gateway,
      String GlobalIPv6Address,
      int GlobalIPv6PrefixLen,
      List<String> DNSNames) {}

  record NetworkSettings(
      String Bridge,
      String SandboxID,
      boolean HairpinMode,
      String LinkLocalIPv6Address,
      int LinkLocalIPv6PrefixLen,
      Map<String, JsonNode> Ports,
      String SandboxKey,
      List<JsonNode> SecondaryIPAddresses,
      List<JsonNode> SecondaryIPv6Addresses,
      String EndpointID,
      String Gateway,
      String GlobalIPv6Address,
      int GlobalIPv6PrefixLen,
      String IPAddress,
      int IPPrefixLen,
      String IPv6Gateway,
      String MacAddress,
      Map<String, Endpoint> Networks) {}

  record Inspect(
      String Id,
      String Created,
      String Path,
      List<String> Args,
      State State,
      String Image,
      String ResolvConfPath,
      String HostnamePath,
      String HostsPath,
      String LogPath,
      String Name,
      int RestartCount,
      String Driver,
      String Platform,
      String MountLabel,
      String ProcessLabel,
      String AppArmorProfile,
      List<String> ExecIDs,
      HostConfig HostConfig,
      GraphDriver GraphDriver,
      // Only with ?size=1 (moby's *int64 with omitempty).
      @JsonInclude(JsonInclude.Include.NON_NULL) Long SizeRw,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long SizeRootFs,
      List<MountPoint> Mounts,
      Config Config,
      NetworkSettings NetworkSettings) {}

  record SummaryHostConfig(String NetworkMode) {}

  record SummaryNetworks(Map<String, Endpoint> Networks) {}

  public record Summary(
      String Id,
      List<String> Names,
      String Image,
      String ImageID,
      String Command,
      long Created,
      List<JsonNode> Ports,
      // moby's int64 with omitempty: absent without ?size=1, and absent when zero.
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) Long SizeRw,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) Long SizeRootFs,
      Map<String, String> Labels,
      String State,
      String Status,
      SummaryHostConfig HostConfig,
      SummaryNetworks NetworkSettings,
      List<MountPoint> Mounts) {}

  record Top(List<String> Titles, List<List<String>> Processes) {}

  /** X-Docker-Container-Path-Stat, before base64 (moby container.PathStat). */
  record PathStat(String name, long size, long mode, String mtime, String linkTarget) {}

  record FilesystemChange(String Path, int Kind) {}

  record PruneResponse(List<String> ContainersDeleted, long SpaceReclaimed) {}

  record CommitResponse(String Id) {}

  record UpdateResponse(List<String> Warnings) {}

  record WaitError(String Message) {}

  record WaitResponse(int StatusCode, WaitError Error) {}
}
