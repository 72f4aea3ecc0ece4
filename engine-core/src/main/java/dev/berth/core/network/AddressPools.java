package dev.berth.core.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where networks created without a subnet get one: dockerd's default-address-pools, skipping any
 * subnet that overlaps another network's or a route of the host's (so a host network, a VPN or
 * another engine's bridge keeps its addresses).
 *
 * @param pools each a base network carved into subnets of {@code size} bits
 */
public record AddressPools(List<Pool> pools, Path routes) {

  public record Pool(Subnet base, int size) {}

  /** dockerd's defaults: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s. */
  public static final List<Pool> DEFAULT = java.util.stream.Stream.concat(
      java.util.stream.IntStream.rangeClosed(17, 31).mapToObj(b -> new Pool(Subnet.parse("172." + b + ".0.0/16"), 16)),
      java.util.stream.Stream.of(new Pool(Subnet.parse("192.168.0.0/16"), 20))).toList();

  public AddressPools {
    pools = List.copyOf(pools);
  }

  /**
   * A ULA /48 of the engine's own (fd00::/8 with 40 bits from a hash of its ID, after RFC 4193's
   * global ID), stable for one engine ID, as dockerd derives its default IPv6 pool.
   */
  public static Ipv6Subnet ula(String engineId) {
    try {
      byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
          .digest(engineId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      long globalId = java.nio.ByteBuffer.wrap(sha).getLong() & ((1L << 40) - 1);
      var base = java.math.BigInteger.valueOf(0xfd).shiftLeft(120)
          .or(java.math.BigInteger.valueOf(globalId).shiftLeft(80));
      return new Ipv6Subnet(base, 48);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static AddressPools ofHost(List<Pool> pools) {
    return new AddressPools(pools.isEmpty() ? DEFAULT : pools, Path.of("/proc/net/route"));
  }

  /** The first free subnet, or empty when the pools are used up. */
  public Optional<Subnet> next(Collection<Subnet> taken) {
    var busy = new ArrayList<>(taken);
    busy.addAll(hostRoutes());
    for (Pool p : pools) {
      long step = 1L << (32 - p.size());
      for (long off = 0; off < p.base().size(); off += step) {
        Subnet candidate = new Subnet((int) (p.base().base() + off), p.size());
        if (busy.stream().noneMatch(candidate::overlaps)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The host's routes but the default one, from /proc/net/route (little-endian hex). */
  List<Subnet> hostRoutes() {
    var out = new ArrayList<Subnet>();
    try {
      if (!Files.exists(routes)) {
        return out;
      }
      for (String line : Files.readAllLines(routes).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8) {
          continue;
        }
        int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
        int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
        int prefix = Integer.bitCount(mask);
        if (prefix > 0) {
          out.add(new Subnet(dest, prefix));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Without the routes we can still avoid our own networks.
    }
    return out;
  }
}
