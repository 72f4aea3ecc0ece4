package dev.berth.core.network;

import java.util.List;

/**
 * A container's membership of one network: what the client asked for, and while the container
 * runs, what it got.
 *
 * @param aliases extra names it answers to on this network
 * @param ipv4Request a static address the client asked for; empty for any
 * @param attached its interface while it runs; null otherwise
 * @param macRequest the MAC address the client asked for ({@code --mac-address}), lower case with
 *     colons; empty for a random one
 */
public record Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached,
    String macRequest) {

  /** Six octets in Go's net.ParseMAC forms: colons, hyphens, or dotted groups of four hex digits. */
  private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile(
      "([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}|([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}");

  public Endpoint {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Request = ipv4Request == null ? "" : ipv4Request;
    macRequest = macRequest == null ? "" : macRequest;
  }

  public Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached) {
    this(networkId, aliases, ipv4Request, attached, "");
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

  public Endpoint withMacRequest(String mac) {
    return new Endpoint(networkId, aliases, ipv4Request, attached, mac);
  }

  /**
   * @param endpointId random per attachment, as libnetwork's
   * @param ifName the interface inside the container: eth0, eth1, ... in connect order
   */
  public record Attachment(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
      String macAddress) {}

  public Endpoint attach(Attachment a) {
    return new Endpoint(networkId, aliases, ipv4Request, a, macRequest);
  }

  public Endpoint detach() {
    return new Endpoint(networkId, aliases, ipv4Request, null, macRequest);
  }
}
