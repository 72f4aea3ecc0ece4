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
 * @param ipv6Request a static IPv6 address the client asked for ({@code --ip6}); empty for any
 * @param linkLocalIps addresses the interface gets besides the network's ({@code --link-local-ip})
 */
public record Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached,
    String macRequest, List<String> links, String ipv6Request, List<String> linkLocalIps) {

  /** Six octets in Go's net.ParseMAC forms: colons, hyphens, or dotted groups of four hex digits. */
  private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile(
      "([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}");

  public Endpoint {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Request = ipv4Request == null ? "" : ipv4Request;
    macRequest = macRequest == null ? "" : macRequest;
    links = links == null ? List.of() : List.copyOf(links);
    ipv6Request = ipv6Request == null ? "" : ipv6Request;
    linkLocalIps = linkLocalIps == null ? List.of() : List.copyOf(linkLocalIps);
  }

  public Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached,
      String macRequest, List<String> links) {
    this(networkId, aliases, ipv4Request, attached, macRequest, links, "", List.of());
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
   * unapplied: driver options, a gateway priority.
   */
  public static void refuseUnsupported(Map<String, String> driverOpts, int gwPriority) {
    if (driverOpts != null && !driverOpts.isEmpty()) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support endpoint driver options yet: "
          + String.join(", ", new java.util.TreeSet<>(driverOpts.keySet())));
    }
    if (gwPriority != 0) {
      throw new dev.berth.core.error.InvalidArgumentException("berth does not support gateway priorities on "
          + "endpoints yet: " + gwPriority);
    }
  }

  /**
   * The endpoint's addresses as dockerd's normalizeEndpointIPAMConfig checks them, IPv6 ones
   * written as Go writes them.
   *
   * @throws dev.berth.core.error.InvalidArgumentException {@code invalid IPv6 address: x},
   *     {@code invalid link-local IP address: x}
   */
  public Endpoint withCheckedAddresses() {
    String v6 = ipv6Request;
    if (!v6.isEmpty()) {
      java.math.BigInteger a = Ipv6Subnet.address(v6);
      if (a.signum() == 0) {
        throw new dev.berth.core.error.InvalidArgumentException("invalid IPv6 address: " + v6);
      }
      v6 = Ipv6Subnet.format(a);
    }
    var local = new java.util.ArrayList<String>();
    for (String ip : linkLocalIps) {
      try {
        if (Ipv6Subnet.isIpv6(ip)) {
          java.math.BigInteger a = Ipv6Subnet.address(ip);
          if (a.signum() == 0) {
            throw new dev.berth.core.error.InvalidArgumentException(ip);
          }
          local.add(Ipv6Subnet.format(a));
        } else {
          int a = Subnet.address(ip);
          if (a == 0) {
            throw new dev.berth.core.error.InvalidArgumentException(ip);
          }
          local.add(Subnet.format(a));
        }
      } catch (dev.berth.core.error.InvalidArgumentException e) {
        throw new dev.berth.core.error.InvalidArgumentException("invalid link-local IP address: " + ip);
      }
    }
    return new Endpoint(networkId, aliases, ipv4Request, attached, macRequest, links, v6, local);
  }

  public Endpoint withMacRequest(String mac) {
    return new Endpoint(networkId, aliases, ipv4Request, attached, mac, links, ipv6Request, linkLocalIps);
  }

  /**
   * @param endpointId random per attachment, as libnetwork's
   * @param ifName the interface inside the container: eth0, eth1, ... in connect order
   * @param ipv6Address empty on a network without IPv6
   */
  public record Attachment(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
      String macAddress, String ipv6Address, int ipv6PrefixLen, String ipv6Gateway) {

    public Attachment {
      ipv6Address = ipv6Address == null ? "" : ipv6Address;
      ipv6Gateway = ipv6Gateway == null ? "" : ipv6Gateway;
    }

    public Attachment(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
        String macAddress) {
      this(endpointId, ifName, ipAddress, prefixLen, gateway, macAddress, "", 0, "");
    }
  }

  public Endpoint attach(Attachment a) {
    return new Endpoint(networkId, aliases, ipv4Request, a, macRequest, links, ipv6Request, linkLocalIps);
  }

  public Endpoint detach() {
    return new Endpoint(networkId, aliases, ipv4Request, null, macRequest, links, ipv6Request, linkLocalIps);
  }
}
