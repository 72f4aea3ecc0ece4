package dev.berth.core.network;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import java.util.Set;

/**
 * The bridge driver's options ({@code docker network create -o}), read as libnetwork's bridge
 * driver reads them: a value it cannot parse is refused in its words, an option it does not know
 * is accepted and has no effect, as there. The ones berth cannot honour are refused.
 */
public final class BridgeOptions {

  public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
  public static final String MTU = "com.docker.network.driver.mtu";
  public static final String ENABLE_ICC = "com.docker.network.bridge.enable_icc";
  public static final String ENABLE_IP_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
  public static final String HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";
  public static final String ENABLE_IPV4 = "com.docker.network.enable_ipv4";
  public static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
  private static final Set<String> BOOLEANS = Set.of(ENABLE_ICC, ENABLE_IP_MASQUERADE,
      "com.docker.network.enable_ipv4", "com.docker.network.enable_ipv6", "com.docker.network.bridge.inhibit_ipv4",
      "com.docker.network.bridge.default_bridge");
  /** Known to dockerd, with an effect berth does not have: refused rather than ignored. */
  private static final Set<String> UNSUPPORTED = Set.of("com.docker.network.bridge.gateway_mode_ipv4",
      "com.docker.network.bridge.gateway_mode_ipv6", "com.docker.network.container_iface_prefix",
      "com.docker.network.host_ipv4", "com.docker.network.host_ipv6");

  private BridgeOptions() {}

  /** @throws InvalidArgumentException {@code failed to parse <option> value: <v> (<why>)}, as libnetwork's parseErr */
  static void check(Map<String, String> options) {
    for (var e : options.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key.equals(MTU)) {
        int mtu = mtu(value);
        if (mtu < 0) {
          throw new InvalidArgumentException("invalid MTU number: " + mtu);
        }
      } else if (BOOLEANS.contains(key)) {
        Boolean b = bool(value);
        if (b == null) {
          throw parseError(key, value, "strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        }
        if ((key.equals("com.docker.network.bridge.inhibit_ipv4") && b)
            || (key.equals(ENABLE_IPV4) && !b)) {
          throw new InvalidArgumentException("berth does not support the network option " + key + "=" + value);
        }
      } else if (key.equals(HOST_BINDING_IPV4)) {
        if (!ExtraHost.isAddress(value)) {
          throw parseError(key, value, "nil ip");
        }
      } else if (UNSUPPORTED.contains(key)) {
        throw new InvalidArgumentException("berth does not support the network option " + key);
      }
    }
  }

  /** The network's MTU; 0 for the kernel's default. */
  public static int mtu(Network n) {
    String v = n.options().get(MTU);
    return v == null ? 0 : Math.max(0, mtu(v));
  }

  /** Whether containers on the network may talk to each other (dockerd's ICC, on by default). */
  public static boolean icc(Network n) {
    String v = n.options().get(ENABLE_ICC);
    return v == null || !Boolean.FALSE.equals(bool(v));
  }

  /** Whether traffic leaving the network is masqueraded, if the daemon masquerades at all. */
  public static boolean ipMasquerade(Network n) {
    String v = n.options().get(ENABLE_IP_MASQUERADE);
    return v == null || !Boolean.FALSE.equals(bool(v));
  }

  /** The host address ports are published on when a binding names none; empty for all. */
  public static String hostBindingIpv4(Network n) {
    String v = n.options().getOrDefault(HOST_BINDING_IPV4, "");
    return v.equals("0.0.0.0") ? "" : v;
  }

  private static int mtu(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw parseError(MTU, value, "strconv.Atoi: parsing \"" + value + "\": " + (value.matches("[+-]?[0-9]+")
          ? "value out of range" : "invalid syntax"));
    }
  }

  /** Go's strconv.ParseBool; null for anything else. */
  static Boolean bool(String v) {
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> null;
    };
  }

  private static InvalidArgumentException parseError(String key, String value, String why) {
    return new InvalidArgumentException("failed to parse " + key + " value: " + value + " (" + why + ")");
  }
}
