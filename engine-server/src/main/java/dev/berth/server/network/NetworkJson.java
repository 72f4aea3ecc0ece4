package dev.berth.server.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Wire shapes of the network endpoints (moby api/types/network). */
final class NetworkJson {

  private NetworkJson() {}

  record IpamConfig(
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String Subnet,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String IPRange,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String Gateway) {}

  record Ipam(String Driver, Map<String, String> Options, List<IpamConfig> Config) {}

  record CreateRequest(String Name, Boolean CheckDuplicate, String Driver, String Scope, boolean Internal,
      boolean Attachable, boolean Ingress, boolean ConfigOnly, Ipam IPAM, Boolean EnableIPv6, Boolean EnableIPv4,
      Map<String, String> Options, Map<String, String> Labels) {}

  record CreateResponse(String Id, String Warning) {}

  record ConfigReference(String Network) {}

  record EndpointResource(String Name, String EndpointID, String MacAddress, String IPv4Address, String IPv6Address) {}

  record Network(
      String Name,
      String Id,
      String Created,
      String Scope,
      String Driver,
      boolean EnableIPv4,
      boolean EnableIPv6,
      Ipam IPAM,
      boolean Internal,
      boolean Attachable,
      boolean Ingress,
      ConfigReference ConfigFrom,
      boolean ConfigOnly,
      Map<String, EndpointResource> Containers,
      Map<String, String> Options,
      Map<String, String> Labels) {}

  record IpamRequest(String IPv4Address, String IPv6Address, List<String> LinkLocalIPs) {}

  record EndpointConfig(List<String> Aliases, IpamRequest IPAMConfig, List<String> Links, String MacAddress,
      Map<String, String> DriverOpts, int GwPriority) {}

  record ConnectRequest(String Container, EndpointConfig EndpointConfig) {}

  record DisconnectRequest(String Container, boolean Force) {}

  record PruneResponse(List<String> NetworksDeleted) {}
}
