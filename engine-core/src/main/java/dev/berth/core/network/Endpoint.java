package dev.berth.core.network;

import java.util.List;

/**
 * A container's membership of one network: what the client asked for, and while the container
 * runs, what it got.
 *
 * @param aliases extra names it answers to on this network
 * @param ipv4Request a static address the client asked for; empty for any
 * @param attached its interface while it runs; null otherwise
 */
public record Endpoint(NetworkId networkId, List<String> aliases, String ipv4Request, Attachment attached) {

  public Endpoint {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    ipv4Request = ipv4Request == null ? "" : ipv4Request;
  }

  /**
   * @param endpointId random per attachment, as libnetwork's
   * @param ifName the interface inside the container: eth0, eth1, ... in connect order
   */
  public record Attachment(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
      String macAddress) {}

  public Endpoint attach(Attachment a) {
    return new Endpoint(networkId, aliases, ipv4Request, a);
  }

  public Endpoint detach() {
    return new Endpoint(networkId, aliases, ipv4Request, null);
  }
}
