package dev.berth.core.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's networks and published ports.
 *
 * @param endpoints by network name, in the order the container joined them
 * @param portBindings what the client asked to publish
 * @param publishAll publish every exposed port on a port the engine picks ({@code -P})
 * @param published the bindings in force while it runs, with the host ports chosen
 */
public record Networking(Map<String, Endpoint> endpoints, List<PortBinding> portBindings, boolean publishAll,
    List<PortBinding> published) {

  public static final Networking NONE = new Networking(Map.of(), List.of(), false, List.of());

  public Networking {
    endpoints = endpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
    published = published == null ? List.of() : List.copyOf(published);
  }

  public Networking withEndpoint(String network, Endpoint e) {
    var m = new LinkedHashMap<>(endpoints);
    m.put(network, e);
    return new Networking(m, portBindings, publishAll, published);
  }

  public Networking withoutEndpoint(String network) {
    var m = new LinkedHashMap<>(endpoints);
    m.remove(network);
    return new Networking(m, portBindings, publishAll, published);
  }

  public Networking withPublished(List<PortBinding> p) {
    return new Networking(endpoints, portBindings, publishAll, p);
  }

  /** Every endpoint detached and nothing published: the container's network while it is stopped. */
  public Networking stopped() {
    var m = new LinkedHashMap<String, Endpoint>();
    endpoints.forEach((k, v) -> m.put(k, v.detach()));
    return new Networking(m, portBindings, publishAll, List.of());
  }
}
