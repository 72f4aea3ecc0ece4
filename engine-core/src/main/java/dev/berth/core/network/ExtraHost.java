package dev.berth.core.network;

import dev.berth.core.error.InvalidArgumentException;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * One {@code --add-host name:ip} entry, as dockerd's {@code ValidateExtraHost} reads it: split on
 * the first colon (so the address may be IPv6), the address a literal or {@code host-gateway}.
 *
 * @param ip the address as given, or {@link #HOST_GATEWAY}
 */
public record ExtraHost(String name, String ip) {

  /** Stands for the daemon's host-gateway-ip, by default the default bridge's gateway. */
  public static final String HOST_GATEWAY = "host-gateway";

  /** Go's netip.ParseAddr for IPv4: four decimal octets without leading zeros. */
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+(%[^%]+)?");

  public ExtraHost {
    if (name == null || name.isEmpty()) {
      throw new InvalidArgumentException("bad format for add-host: \"" + name + ":" + ip + "\"");
    }
    if (!HOST_GATEWAY.equals(ip) && !isAddress(ip)) {
      throw new InvalidArgumentException("invalid IP address in add-host: \"" + ip + "\"");
    }
  }

  /** @throws InvalidArgumentException with dockerd's words */
  public static ExtraHost parse(String entry) {
    int colon = entry == null ? -1 : entry.indexOf(':');
    if (colon <= 0) {
      throw new InvalidArgumentException("bad format for add-host: \"" + entry + "\"");
    }
    return new ExtraHost(entry.substring(0, colon), entry.substring(colon + 1));
  }

  public boolean isHostGateway() {
    return HOST_GATEWAY.equals(ip);
  }

  /** An IPv4 or IPv6 literal as Go's netip reads one (no brackets, no hostnames). */
  public static boolean isAddress(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    if (IPV4.matcher(s).matches()) {
      return true;
    }
    if (!s.contains(":") || !IPV6.matcher(s).matches()) {
      return false;
    }
    try {
      int zone = s.indexOf('%');
      InetAddress.ofLiteral(zone < 0 ? s : s.substring(0, zone));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
