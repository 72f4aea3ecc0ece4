package dev.berth.server.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Wire shapes of the container endpoints. Field names are the spec's exactly; the same records
 * serve requests (Jackson reads them case-insensitively) and responses.
 */
final class ContainerJson {

  private ContainerJson() {}

  record HealthConfig(List<String> Test, long Interval, long Timeout, long StartPeriod, long StartInterval, int Retries) {}

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
      List<String> Env,
      List<String> Cmd,
      HealthConfig Healthcheck,
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
      Map<String, String> Annotations,
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
      Map<String, String> StorageOpt,
      Map<String, String> Tmpfs,
      String UTSMode,
      String UsernsMode,
      long ShmSize,
      Map<String, String> Sysctls,
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
      List<JsonNode> Devices,
      List<String> DeviceCgroupRules,
      List<JsonNode> DeviceRequests,
      long MemoryReservation,
      long MemorySwap,
      Long MemorySwappiness,
      Boolean OomKillDisable,
      Long PidsLimit,
      List<JsonNode> Ulimits,
      long CpuCount,
      long CpuPercent,
      long IOMaximumIOps,
      long IOMaximumBandwidth,
      List<JsonNode> Mounts,
      Boolean Init,
      List<String> MaskedPaths,
      List<String> ReadonlyPaths) {}

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
      Long SizeRw,
      Long SizeRootFs,
      List<JsonNode> Mounts,
      Config Config,
      NetworkSettings NetworkSettings) {}

  record SummaryHostConfig(String NetworkMode) {}

  record SummaryNetworks(Map<String, Endpoint> Networks) {}

  record Summary(
      String Id,
      List<String> Names,
      String Image,
      String ImageID,
      String Command,
      long Created,
      List<JsonNode> Ports,
      Long SizeRw,
      Long SizeRootFs,
      Map<String, String> Labels,
      String State,
      String Status,
      SummaryHostConfig HostConfig,
      SummaryNetworks NetworkSettings,
      List<JsonNode> Mounts) {}

  record Top(List<String> Titles, List<List<String>> Processes) {}

  record UpdateResponse(List<String> Warnings) {}

  record WaitError(String Message) {}

  record WaitResponse(int StatusCode, WaitError Error) {}
}
