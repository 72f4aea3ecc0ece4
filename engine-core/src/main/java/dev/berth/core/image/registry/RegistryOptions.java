package dev.berth.core.image.registry;

import dev.berth.core.error.InvalidArgumentException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which registries are reached without TLS and where Docker Hub is mirrored, as dockerd's
 * {@code insecure-registries} and {@code registry-mirrors}. Loopback addresses (127.0.0.0/8,
 * ::1) are always insecure, as in dockerd, whose default insecure CIDRs they are.
 *
 * @param insecureRegistries CIDRs ({@code 10.0.0.0/8}) or hosts with optional port ({@code reg.local:5000})
 * @param mirrors base URLs tried in order before Docker Hub for images of docker.io
 * @param maxDownloadAttempts how often a layer download is tried before the pull fails
 *     ({@code max-download-attempts}, 5 as in dockerd)
 */
public record RegistryOptions(List<String> insecureRegistries, List<URI> mirrors, int maxDownloadAttempts) {

  public static final List<String> LOOPBACK_CIDRS = List.of("::1/128", "127.0.0.0/8");
  public static final int DEFAULT_DOWNLOAD_ATTEMPTS = 5;
  public static final RegistryOptions DEFAULTS = new RegistryOptions(List.of(), List.of());

  public RegistryOptions(List<String> insecureRegistries, List<URI> mirrors) {
    this(insecureRegistries, mirrors, DEFAULT_DOWNLOAD_ATTEMPTS);
  }

  public RegistryOptions {
    if (maxDownloadAttempts <= 0) {
      throw new InvalidArgumentException("invalid max download attempts: " + maxDownloadAttempts);
    }
    insecureRegistries = List.copyOf(insecureRegistries);
    mirrors = List.copyOf(mirrors);
    for (String r : insecureRegistries) {
      if (r.contains("://")) {
        throw new InvalidArgumentException("insecure registry " + r + " should not contain '://'");
      }
      if (r.contains("/")) {
        cidr(r);
      }
    }
    for (URI m : mirrors) {
      if (m.getScheme() == null || !(m.getScheme().equals("http") || m.getScheme().equals("https"))
          || m.getHost() == null) {
        throw new InvalidArgumentException("invalid mirror: unsupported scheme \"" + m.getScheme() + "\" in \"" + m
            + "\"");
      }
    }
  }

  /** Parses mirror URLs as daemon.json gives them; a trailing slash is dropped as dockerd does. */
  public static List<URI> mirrors(List<String> urls) {
    var out = new ArrayList<URI>();
    for (String u : urls) {
      try {
        out.add(URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("invalid mirror: \"" + u + "\" is not a valid URI");
      }
    }
    return out;
  }

  /** What {@code /info} lists under InsecureRegistryCIDRs: the configured CIDRs, then loopback's. */
  public List<String> insecureCidrs() {
    var out = new ArrayList<String>();
    insecureRegistries.stream().filter(r -> r.contains("/")).forEach(out::add);
    out.addAll(LOOPBACK_CIDRS);
    return out;
  }

  /** Configured insecure registries given by name rather than CIDR. */
  public List<String> insecureHosts() {
    return insecureRegistries.stream().filter(r -> !r.contains("/")).toList();
  }

  /**
   * Whether {@code host} (as it appears in an image reference: name or IP, optional port) is
   * reached with TLS. Names are resolved to match CIDRs, as dockerd's isSecureIndex does.
   */
  public boolean isSecure(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (insecureRegistries.contains(h)) {
      return false;
    }
    String name = hostOnly(h);
    if (name.equals("localhost") || insecureRegistries.contains(name)) {
      return false;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      return true;
    }
    for (InetAddress a : addresses) {
      if (a.isLoopbackAddress()) {
        return false;
      }
      for (String r : insecureRegistries) {
        if (r.contains("/") && inCidr(a, r)) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code host:port} or {@code [v6]:port} without the port and brackets. */
  static String hostOnly(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(1, end);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 || host.indexOf(':') != colon ? host : host.substring(0, colon);
  }

  private static boolean inCidr(InetAddress a, String cidr) {
    byte[] net = cidr(cidr);
    int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    byte[] addr = a.getAddress();
    if (addr.length != net.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((addr[i / 8] & mask) != (net[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] cidr(String cidr) {
    int slash = cidr.indexOf('/');
    try {
      String ip = cidr.substring(0, slash);
      if (!ip.matches("[0-9a-fA-F:.]+")) {
        throw new InvalidArgumentException("invalid CIDR address: " + cidr);
      }
      byte[] net = InetAddress.getByName(ip).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (bits < 0 || bits > net.length * 8) {
        throw new InvalidArgumentException("invalid CIDR address: " + cidr);
      }
      return net;
    } catch (UnknownHostException | NumberFormatException e) {
      throw new InvalidArgumentException("invalid CIDR address: " + cidr);
    }
  }
}
