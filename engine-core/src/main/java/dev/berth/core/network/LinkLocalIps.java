package dev.berth.core.network;

import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
          throw new InternalException("adding link-local address " + cidr + " to " + ifName + ": " + out);
        }
      } catch (IOException e) {
        throw new InternalException("running ip: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InternalException("interrupted adding link-local addresses", e);
      }
    }
  }
}
