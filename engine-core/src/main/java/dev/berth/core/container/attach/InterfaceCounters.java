package dev.berth.core.container.attach;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One network interface's counters as {@code /proc/<pid>/net/dev} gives them for the network
 * namespace of {@code <pid>}: the fields dockerd reports per interface in {@code networks}.
 */
public record InterfaceCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes,
    long txPackets, long txErrors, long txDropped) {

  /**
   * The interfaces of a {@code /proc/net/dev} text, in its order, without the loopback: dockerd
   * reports the interfaces its network sandbox made (eth0, eth1, ...), never {@code lo}.
   */
  public static Map<String, InterfaceCounters> parse(String procNetDev) {
    var out = new LinkedHashMap<String, InterfaceCounters>();
    for (String line : procNetDev.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // the two header lines
      }
      String name = line.substring(0, colon).strip();
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (name.equals("lo") || f.length < 16) {
        continue;
      }
      // Receive: bytes packets errs drop fifo frame compressed multicast; Transmit: bytes packets errs drop ...
      out.put(name, new InterfaceCounters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
          Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
          Long.parseLong(f[11])));
    }
    return out;
  }
}
