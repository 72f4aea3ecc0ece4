package dev.berth.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a CNI ADD answered (the spec's Result): the interfaces the chain made and the addresses it
 * gave them. The JSON stays whole as well, because the next plugin of the chain and the later DEL
 * take it as it came ({@code prevResult}).
 *
 * @param json the result as the plugin wrote it
 */
public record CniResult(List<Interface> interfaces, List<Ip> ips, JsonNode json) {

  /** @param sandbox the namespace path of an interface inside a container; empty for a host-side one */
  public record Interface(String name, String mac, String sandbox) {}

  /** @param interfaceIndex into {@link #interfaces}, if the plugin said which */
  public record Ip(String address, int prefixLength, String gateway, Optional<Integer> interfaceIndex) {}

  public CniResult {
    interfaces = List.copyOf(interfaces);
    ips = List.copyOf(ips);
  }

  static CniResult of(JsonNode json) {
    var interfaces = new ArrayList<Interface>();
    for (JsonNode i : json.path("interfaces")) {
      interfaces.add(new Interface(i.path("name").asText(), i.path("mac").asText(), i.path("sandbox").asText("")));
    }
    var ips = new ArrayList<Ip>();
    for (JsonNode ip : json.path("ips")) {
      String[] cidr = ip.path("address").asText("/0").split("/");
      ips.add(new Ip(cidr[0], cidr.length > 1 ? Integer.parseInt(cidr[1]) : 0, ip.path("gateway").asText(""),
          ip.has("interface") ? Optional.of(ip.path("interface").asInt()) : Optional.empty()));
    }
    return new CniResult(interfaces, ips, json);
  }

  /** The interface called {@code name} inside the container. */
  public Optional<Interface> sandboxInterface(String name) {
    return interfaces.stream().filter(i -> i.name().equals(name) && !i.sandbox().isEmpty()).findFirst();
  }

  /** The first IPv4 address given, where berth's one-address-per-family attachments find theirs. */
  public Optional<Ip> firstIp() {
    return ips.stream().filter(ip -> !Ipv6Subnet.isIpv6(ip.address())).findFirst();
  }

  /** The first IPv6 address given: on networks with IPv6 enabled. */
  public Optional<Ip> firstIpv6() {
    return ips.stream().filter(ip -> Ipv6Subnet.isIpv6(ip.address())).findFirst();
  }
}
