package dev.berth.core.network;

import java.util.List;
import java.util.Map;

/**
 * A container's membership of one network: what the client asked for, and while the container
 * runs, what it got.
 *
 * @param aliases extra names it answers to on this network
 * @param ipv4Request a static address the client asked for; empty for any
 * @param attached its interface while it runs; null otherwise
 * @param macRequest the MAC address the client asked for ({@code --mac-address}), lower case with
 *     colons; empty for a random one
 * @param links {@code name:alias} links on a user-defined network: the container alone resolves
 *     the alias to the named container there (dockerd's endpoint link aliases)
 */
public record Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached,
    String macRequest, List<String> links) {

  /** Six octets in Go's net.ParseMAC forms: colons, hyphens, or dotted groups of four hex digits. */
  private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile(
      "([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}");

  public Endpoint {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Request = ipv4Request == null ? "" : ipv4Request;
    macRequest = macRequest == null ? "" : macRequest;
    links = links == null ? List.of() : List.copyOf(links);
  }

  public Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached) {
    this(networkId, aliases, ipv4Request, attached, "", List.of());
  }

  public Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached,
      String macRequest) {
    this(networkId, aliases, ipv4Request, attached, macRequest, List.of());
  }

  /**
   * A MAC address in any form Go's net.ParseMAC reads for Ethernet, as the kernel and inspect
   * write it (lower case, colons); empty if it is not one.
   */
  public static String normalMac(String mac) {
    if (mac == null || !MAC.matcher(mac).matches()) {
      return "";
    }
    String hex = mac.replaceAll("[:.-]", "").toLowerCase(java.util.Locale.ROOT);
    var out = new StringBuilder();
    for (int i = 0; i < 12; i += 2) {
      out.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return out.toString();
  }

  /**
   * Refuses what an endpoint request may ask that berth does not do yet, rather than accept it
   * unapplied: IPv6 and link-local addresses, driver options, a gateway priority.
   */
  public static void refuseUnsupported(String ipv6Address, List<String> linkLocalIps, Map<String, String> driverOpts,
      int gwPriority) {
    if (ipv6Address != null && !ipv6Address.isEmpty()) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support IPv6 addresses on endpoints "
          + "yet: " + ipv6Address);
    }
    if (linkLocalIps != null && !linkLocalIps.isEmpty()) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support link-local addresses on "
          + "endpoints yet: " + String.join(", ", linkLocalIps));
    }
    if (driverOpts != null && !driverOpts.isEmpty()) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support endpoint driver options yet: "
          + String.join(", ", new java.util.TreeSet<>(driverOpts.keySet())));
    }
    if (gwPriority != 0) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support gateway priorities on "
          + "endpoints yet: " + gwPriority);
    }
  }


  public Endpoint withMacRequest(String mac) {
    return new Endpoint(networkId, aliases, ipv4Request, attached, mac, links);
  }

  /**
   * @param endpointId random per attachment, as libnetwork's
   * @param ifName the interface inside the container: eth0, eth1, ... in connect order
   */
  public record Attachment(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
      String macAddress) {}

  public Endpoint attach(Attachment a) {
    return new Endpoint(networkId, aliases, ipv4Request, a, macRequest, links);
  }

  public Endpoint detach() {
    return new Endpoint(networkId, aliases, ipv4Request, null, macRequest, links);
  }
}
