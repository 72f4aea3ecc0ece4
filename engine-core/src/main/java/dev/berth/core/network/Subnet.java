package dev.berth.core.network;

import dev.berth.core.error.InvalidArgumentException;

/** An IPv4 network in CIDR form; the address is kept masked to its prefix. */
public record Subnet(int base, int prefix) {

  /** Unsigned decimal, as Go's dtoi reads an octet or a prefix length: no sign, at most three digits. */
  private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]{1,3}");

  public Subnet {
    if (prefix < 0 || prefix > 32) {
      throw new InvalidArgumentException("invalid CIDR prefix length: " + prefix);
    }
    base = base & mask(prefix);
  }

  /** @throws InvalidArgumentException for anything but a.b.c.d/n */
  public static Subnet parse(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0 || !DIGITS.matcher(cidr.substring(slash + 1)).matches()) {
      throw new InvalidArgumentException("invalid CIDR address: " + cidr);
    }
    try {
      return new Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid CIDR address: " + cidr);
    }
  }

  /** @throws InvalidArgumentException unless it is a dotted-quad IPv4 address */
  public static int address(String dotted) {
    String[] parts = dotted == null ? new String[0] : dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new InvalidArgumentException("invalid IP address: " + dotted);
    }
    int v = 0;
    for (String p : parts) {
      int octet;
      try {
        octet = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("invalid IP address: " + dotted);
      }
      if (octet > 255 || !DIGITS.matcher(p).matches()) {
        throw new InvalidArgumentException("invalid IP address: " + dotted);
      }
      v = v << 8 | octet;
    }
    return v;
  }

  public static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
  }

  public boolean contains(int address) {
    return (address & mask(prefix)) == base;
  }

  public boolean contains(Subnet other) {
    return other.prefix >= prefix && contains(other.base);
  }

  public boolean overlaps(Subnet other) {
    return contains(other.base) || other.contains(base);
  }

  /** The address {@code offset} places into the subnet: 1 is Docker's gateway. */
  public int at(int offset) {
    return base + offset;
  }

  /** Addresses in it, including network and broadcast addresses. */
  public long size() {
    return 1L << (32 - prefix);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }
}
