package dev.berth.core.network;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An endpoint's {@code --link-local-ip} addresses, given to its interface inside the container's
 * namespace with libnetwork's masks (/16 for IPv4, /64 for IPv6). Rare enough that it runs
 * iproute2 rather than speaking netlink.
 */
public final class LinkLocalIps {

  private LinkLocalIps() {}

  /** @throws InternalException if {@code ip} fails */
  public static void add(Path netns, String ifName, List<String> addresses) {
    for (String a : addresses) {
      String cidr = a + (Ipv6Subnet.isIpv6(a) ? "/64" : "/16");
      var cmd = List.of("nsenter", "--net=" + netns, "ip", "address", "add", cidr, "dev", ifName);
      try {
        var run = Processes.capture(cmd);
        if (run.exit() != 0) {
          throw new InternalException("adding link-local address " + cidr + " to " + ifName + ": "
              + run.said().strip());
        }
      } catch (IOException | ErrnoException e) {
        throw new InternalException("running ip: " + e.getMessage(), e);
      }
    }
  }
}
