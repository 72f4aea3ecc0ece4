package dev.berth.core.network;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A network as the engine records it. Everything is fixed at create, so inspect returns exactly
 * what was created (compose compares it).
 *
 * @param driver {@code bridge}, {@code host} or {@code null} (Docker's name for {@code none})
 * @param pools the IPAM config; for bridges with none given, the subnet the engine picked
 * @param bridge the host's bridge interface; empty for host and null networks
 * @param enableIPv6 containers get an IPv6 address from the network's IPv6 pool as well
 */
public record Network(
    NetworkId id,
    String name,
    String driver,
    Instant created,
    boolean internal,
    boolean attachable,
    String ipamDriver,
    List<IpamPool> pools,
    Map<String, String> ipamOptions,
    Map<String, String> options,
    Map<String, String> labels,
    String bridge,
    boolean enableIPv6) {

  public static final String DEFAULT_BRIDGE = "bridge";
  public static final String HOST = "host";
  public static final String NONE = "none";

  public Network {
    pools = pools == null ? List.of() : List.copyOf(pools);
    ipamOptions = ipamOptions == null ? Map.of() : Map.copyOf(ipamOptions);
    options = options == null ? Map.of() : Map.copyOf(options);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ipamDriver = ipamDriver == null || ipamDriver.isEmpty() ? "default" : ipamDriver;
    bridge = bridge == null ? "" : bridge;
  }

  /** An IPv4-only network. */
  public Network(NetworkId id, String name, String driver, Instant created, boolean internal, boolean attachable,
      String ipamDriver, List<IpamPool> pools, Map<String, String> ipamOptions, Map<String, String> options,
      Map<String, String> labels, String bridge) {
    this(id, name, driver, created, internal, attachable, ipamDriver, pools, ipamOptions, options, labels, bridge,
        false);
  }

  /** The networks every engine has and nobody may remove: bridge, host, none. */
  public boolean predefined() {
    return name.equals(DEFAULT_BRIDGE) || name.equals(HOST) || name.equals(NONE);
  }

  /** User-defined bridges get name resolution; the default bridge does not, as in Docker. */
  public boolean resolvesNames() {
    return driver.equals("bridge") && !name.equals(DEFAULT_BRIDGE);
  }

  public boolean isBridge() {
    return driver.equals("bridge");
  }

  /** The IPv4 subnet containers get addresses from. */
  public Subnet subnet() {
    return Subnet.parse(ipv4Pool().subnet());
  }

  /** The IPv4 pool: every bridge network has one. */
  public IpamPool ipv4Pool() {
    return pools.stream().filter(p -> !Ipv6Subnet.isIpv6(p.subnet())).findFirst().orElseThrow();
  }

  /** The IPv6 pool, on a network with IPv6 enabled. */
  public java.util.Optional<IpamPool> ipv6Pool() {
    return enableIPv6 ? pools.stream().filter(p -> Ipv6Subnet.isIpv6(p.subnet())).findFirst()
        : java.util.Optional.empty();
  }
}
