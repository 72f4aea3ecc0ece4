package dev.berth.core.network;

import dev.berth.core.error.InvalidArgumentException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;

/** An IPv6 network in CIDR form; the address is kept masked to its prefix. */
public record Ipv6Subnet(BigInteger base, int prefix) {

  private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]{1,3}");

  public Ipv6Subnet {
    if (prefix < 0 || prefix > 128) {
      throw new InvalidArgumentException("invalid CIDR prefix length: " + prefix);
    }
    base = base.and(mask(prefix));
  }

  /** Whether the text is meant as an IPv6 address or network (it has a colon), not an IPv4 one. */
  public static boolean isIpv6(String s) {
    return s != null && s.contains(":");
  }

  /** @throws InvalidArgumentException for anything but an IPv6 address/n */
  public static Ipv6Subnet parse(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0 || !DIGITS.matcher(cidr.substring(slash + 1)).matches()) {
      throw new InvalidArgumentException("invalid CIDR address: " + cidr);
    }
    try {
      return new Ipv6Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("invalid CIDR address: " + cidr);
    }
  }

  /**
   * An IPv6 literal as Go's netip reads one: no brackets, no zone, not an IPv4-mapped address
   * (the JDK reads those as IPv4), never a host name.
   *
   * @throws InvalidArgumentException {@code invalid IPv6 address: <s>}
   */
  public static BigInteger address(String s) {
    if (!isIpv6(s) || s.contains("%") || s.contains("[")) {
      throw new InvalidArgumentException("invalid IPv6 address: " + s);
    }
    InetAddress a;
    try {
      a = InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("invalid IPv6 address: " + s);
    }
    if (!(a instanceof Inet6Address)) {
      throw new InvalidArgumentException("invalid IPv6 address: " + s);
    }
    return new BigInteger(1, a.getAddress());
  }

  /** The address as Go writes it (RFC 5952): lower case, the longest run of two or more zero groups as {@code ::}. */
  public static String format(BigInteger address) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = address.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    var out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** An IPv6 literal written as {@link #format} writes it. */
  public static String normal(String address) {
    return format(address(address));
  }

  public boolean contains(BigInteger address) {
    return address.and(mask(prefix)).equals(base);
  }

  public boolean contains(Ipv6Subnet other) {
    return other.prefix >= prefix && contains(other.base);
  }

  public boolean overlaps(Ipv6Subnet other) {
    return contains(other.base) || other.contains(base);
  }

  /** The address {@code offset} places into the subnet: 1 is Docker's gateway. */
  public BigInteger at(long offset) {
    return base.add(BigInteger.valueOf(offset));
  }

  /** The last address in it. */
  public BigInteger last() {
    return base.or(mask(prefix).xor(ALL));
  }

  /** The {@code index}th subnet of length {@code size} inside this one. */
  public Ipv6Subnet child(int size, long index) {
    return new Ipv6Subnet(base.add(BigInteger.valueOf(index).shiftLeft(128 - size)), size);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }

  private static BigInteger mask(int prefix) {
    return prefix == 0 ? BigInteger.ZERO : ALL.shiftRight(128 - prefix).shiftLeft(128 - prefix);
  }
}
