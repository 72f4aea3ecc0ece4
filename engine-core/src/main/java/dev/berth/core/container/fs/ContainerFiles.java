package dev.berth.core.container.fs;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.ExtraHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The files dockerd generates for every container and binds over the image's: /etc/hostname,
 * /etc/hosts and /etc/resolv.conf. They live in the container's directory so they survive a
 * berthd restart and are removed with the container.
 */
public final class ContainerFiles {

  private static final String LOCAL_HOSTS = """
      127.0.0.1\tlocalhost
      ::1\tlocalhost ip6-localhost ip6-loopback
      fe00::\tip6-localnet
      ff00::\tip6-mcastprefix
      ff02::1\tip6-allnodes
      ff02::2\tip6-allrouters
      """;
  // dockerd's fallback when the host has only loopback resolvers, which a container cannot reach.
  private static final List<String> FALLBACK_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

  private final Path hostResolvConf;
  private final Path hostHosts;
  private final Supplier<List<String>> hostGateway;

  public ContainerFiles(Path hostResolvConf, Path hostHosts) {
    this(hostResolvConf, hostHosts, List::of);
  }

  /** @param hostGateway what {@code host-gateway} in {@code --add-host} stands for */
  public ContainerFiles(Path hostResolvConf, Path hostHosts, Supplier<List<String>> hostGateway) {
    this.hostResolvConf = hostResolvConf;
    this.hostHosts = hostHosts;
    this.hostGateway = hostGateway;
  }

  public record Written(Path hostname, Path hosts, Path resolvConf) {}

  /** The resolver berth serves inside containers on user-defined networks, as dockerd's. */
  static final String EMBEDDED_DNS = "127.0.0.11";

  public Written write(Path dir, Container c, boolean hostNetwork, boolean embeddedDns) {
    return write(dir, c, hostNetwork, embeddedDns, List.of());
  }

  /** @param linkLines /etc/hosts lines for legacy links, added last as dockerd's addLegacyLinks adds them */
  public Written write(Path dir, Container c, boolean hostNetwork, boolean embeddedDns, List<String> linkLines) {
    HostConfig hc = c.hostConfig();
    String hostname = c.config().hostname();
    try {
      Path hostnameFile = new ContainerDir(dir).hostname();
      Files.writeString(hostnameFile, hostname + "\n");

      Path hostsFile = new ContainerDir(dir).hosts();
      Files.writeString(hostsFile, hostsWithLinks(c, hostNetwork, linkLines));

      Path resolvFile = new ContainerDir(dir).resolvConf();
      Files.writeString(resolvFile, resolvConf(hc, hostNetwork, embeddedDns));
      return new Written(hostnameFile, hostsFile, resolvFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes /etc/hosts again once the container's addresses are known: the runtime creates the
   * container while its networks are joined, from a file {@link #write} made without them. The
   * file is rewritten in place: it is bind-mounted, so a new file would not be seen.
   */
  public void rewriteHosts(Path dir, Container c, boolean hostNetwork, List<String> linkLines) {
    try {
      Files.writeString(new ContainerDir(dir).hosts(), hostsWithLinks(c, hostNetwork, linkLines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String hostsWithLinks(Container c, boolean hostNetwork, List<String> linkLines) throws IOException {
    var hosts = new StringBuilder(hosts(c, hostNetwork));
    linkLines.forEach(l -> hosts.append(l).append('\n'));
    return hosts.toString();
  }

  /**
   * Points a running container's /etc/resolv.conf at the embedded resolver, as libnetwork does
   * when a container first joins a network whose names it serves (a container started on the
   * default bridge, then connected to a user-defined network). The file is rewritten in place:
   * it is bind-mounted, so a new file would not be seen.
   */
  public void useEmbeddedDns(Path dir, Container c) {
    try {
      Files.writeString(new ContainerDir(dir).resolvConf(), resolvConf(c.hostConfig(), false, true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * /etc/hosts as libnetwork builds it: the host's own file for host networking without extra
   * hosts; else the local names, the extra hosts ({@code host-gateway} replaced by the daemon's
   * host-gateway addresses), then the container's addresses with its hostname.
   *
   * @throws InvalidArgumentException {@code unable to derive the IP value for host-gateway}
   */
  String hosts(Container c, boolean hostNetwork) throws IOException {
    HostConfig hc = c.hostConfig();
    if (hostNetwork && hc.extraHosts().isEmpty() && Files.exists(hostHosts)) {
      return Files.readString(hostHosts);
    }
    var hosts = new StringBuilder(LOCAL_HOSTS);
    for (String entry : hc.extraHosts()) {
      ExtraHost extra;
      try {
        extra = ExtraHost.parse(entry);
      } catch (InvalidArgumentException e) {
        // Refused at create since berth validates; an older record's bad entry is skipped, as dockerd does.
        continue;
      }
      if (extra.isHostGateway()) {
        List<String> gateways = hostGateway.get();
        if (gateways.isEmpty()) {
          throw new InvalidArgumentException("unable to derive the IP value for host-gateway");
        }
        gateways.forEach(ip -> hosts.append(ip).append('\t').append(extra.name()).append('\n'));
      } else {
        hosts.append(extra.ip()).append('\t').append(extra.name()).append('\n');
      }
    }
    String hostname = c.config().hostname();
    for (var e : c.networking().endpoints().values()) {
      if (e.attached() != null && !e.attached().ipAddress().isEmpty()) {
        hosts.append(e.attached().ipAddress()).append('\t').append(hostname).append('\n');
      }
      if (e.attached() != null && !e.attached().ipv6Address().isEmpty()) {
        hosts.append(e.attached().ipv6Address()).append('\t').append(hostname).append('\n');
      }
    }
    return hosts.toString();
  }

  private String resolvConf(HostConfig hc, boolean hostNetwork, boolean embeddedDns) throws IOException {
    HostResolv host = HostResolv.read(hostResolvConf);
    var nameservers = new ArrayList<>(host.nameservers());
    var search = new ArrayList<>(host.search());
    var options = new ArrayList<>(host.options());
    if (!hostNetwork) {
      nameservers.removeIf(ContainerFiles::isLoopback);
      if (nameservers.isEmpty()) {
        nameservers.addAll(FALLBACK_NAMESERVERS);
      }
    }
    if (!hc.dns().isEmpty()) {
      nameservers = new ArrayList<>(hc.dns());
    }
    if (!hc.dnsSearch().isEmpty()) {
      search = new ArrayList<>(hc.dnsSearch());
      search.removeIf("."::equals);
    }
    if (!hc.dnsOptions().isEmpty()) {
      options = new ArrayList<>(hc.dnsOptions());
    }
    if (embeddedDns) {
      // The embedded server forwards what it does not know; ndots:0 makes a bare name its first query.
      nameservers = new ArrayList<>(List.of(EMBEDDED_DNS));
      if (options.stream().noneMatch(o -> o.startsWith("ndots:"))) {
        options.add("ndots:0");
      }
    }
    var out = new StringBuilder();
    if (!search.isEmpty()) {
      out.append("search ").append(String.join(" ", search)).append('\n');
    }
    for (String ns : nameservers) {
      out.append("nameserver ").append(ns).append('\n');
    }
    if (!options.isEmpty()) {
      out.append("options ").append(String.join(" ", options)).append('\n');
    }
    return out.toString();
  }

  /** The nameservers a resolv.conf lists; none if it cannot be read. */
  /** The host's nameservers, as {@link #nameservers(Path)} reads them from its resolv.conf. */
  public List<String> hostNameservers() {
    return nameservers(hostResolvConf);
  }

  public static List<String> nameservers(Path resolvConf) {
    try {
      return HostResolv.read(resolvConf).nameservers();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** What a resolv.conf says; a missing one says nothing. */
  private record HostResolv(List<String> nameservers, List<String> search, List<String> options) {

    static HostResolv read(Path file) throws IOException {
      var nameservers = new ArrayList<String>();
      var search = new ArrayList<String>();
      var options = new ArrayList<String>();
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      for (String line : lines) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) {
          continue;
        }
        switch (f[0]) {
          case "nameserver" -> nameservers.add(f[1]);
          case "search", "domain" -> search.addAll(List.of(f).subList(1, f.length));
          case "options" -> options.addAll(List.of(f).subList(1, f.length));
          default -> { }
        }
      }
      return new HostResolv(nameservers, search, options);
    }
  }

  private static boolean isLoopback(String ip) {
    return ip.startsWith("127.") || ip.equals("::1");
  }
}
