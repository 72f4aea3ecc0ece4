package dev.berth.store.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.Networking;
import dev.berth.core.network.PortBinding;
import dev.berth.store.Documents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code networking} of {@code containers.config_json}: {@link Networking}. {@code endpoints}
 * keeps the order the container joined its networks in (it names the interfaces eth0, eth1, ...).
 * Rows from before port ranges lack {@code hostPortEnd}, which reads as a single port.
 */
record NetworkingDoc(Map<String, EndpointDoc> endpoints, List<PortBindingDoc> portBindings, boolean publishAll,
    List<PortBindingDoc> published) {

  static NetworkingDoc of(Networking n) {
    return new NetworkingDoc(endpoints(n.endpoints(), EndpointDoc::of), Documents.mapEach(n.portBindings(),
        PortBindingDoc::of), n.publishAll(), Documents.mapEach(n.published(), PortBindingDoc::of));
  }

  Networking toCore() {
    return new Networking(endpoints(endpoints, EndpointDoc::toCore), Documents.mapEach(portBindings,
        PortBindingDoc::toCore), publishAll, Documents.mapEach(published, PortBindingDoc::toCore));
  }

  private static <A, B> Map<String, B> endpoints(Map<String, A> in, Function<A, B> f) {
    if (in == null) {
      return null;
    }
    var out = new LinkedHashMap<String, B>();
    in.forEach((network, e) -> out.put(network, Documents.map(e, f)));
    return out;
  }

  /**
   * The network's ID is stored as an object, {@code {"hex": "..."}}, as the first rows had it.
   * Rows from before {@code --mac-address} lack {@code macRequest}: a random address. It is
   * written only when set, so rows without one keep the shape earlier berths read; so are
   * {@code links}, {@code ipv6Request} and {@code linkLocalIps}.
   */
  record EndpointDoc(NetworkIdDoc networkId, List<String> aliases, String ipv4Request, AttachmentDoc attached,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String macRequest,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> links,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String ipv6Request,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> linkLocalIps) {

    static EndpointDoc of(Endpoint e) {
      return new EndpointDoc(Documents.map(e.networkId(), id -> new NetworkIdDoc(id.hex())), e.aliases(),
          e.ipv4Request(), Documents.map(e.attached(), AttachmentDoc::of), e.macRequest(), e.links(),
          e.ipv6Request(), e.linkLocalIps());
    }

    Endpoint toCore() {
      return new Endpoint(Documents.map(networkId, id -> new NetworkId(id.hex())), aliases, ipv4Request,
          Documents.map(attached, AttachmentDoc::toCore), macRequest, links, ipv6Request, linkLocalIps);
    }
  }

  record NetworkIdDoc(String hex) {}

  /**
   * The interface while the container runs; null while it does not. The IPv6 fields are written
   * only on networks with IPv6, so other rows keep the shape earlier berths read.
   */
  record AttachmentDoc(String endpointId, String ifName, String ipAddress, int prefixLen, String gateway,
      String macAddress, @JsonInclude(JsonInclude.Include.NON_EMPTY) String ipv6Address,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int ipv6PrefixLen,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String ipv6Gateway) {

    static AttachmentDoc of(Endpoint.Attachment a) {
      return new AttachmentDoc(a.endpointId(), a.ifName(), a.ipAddress(), a.prefixLen(), a.gateway(), a.macAddress(),
          a.ipv6Address(), a.ipv6PrefixLen(), a.ipv6Gateway());
    }

    Endpoint.Attachment toCore() {
      return new Endpoint.Attachment(endpointId, ifName, ipAddress, prefixLen, gateway, macAddress, ipv6Address,
          ipv6PrefixLen, ipv6Gateway);
    }
  }

  record PortBindingDoc(int containerPort, String protocol, String hostIp, int hostPort, int hostPortEnd) {

    static PortBindingDoc of(PortBinding p) {
      return new PortBindingDoc(p.containerPort(), p.protocol(), p.hostIp(), p.hostPort(), p.hostPortEnd());
    }

    PortBinding toCore() {
      return new PortBinding(containerPort, protocol, hostIp, hostPort, hostPortEnd);
    }
  }
}
