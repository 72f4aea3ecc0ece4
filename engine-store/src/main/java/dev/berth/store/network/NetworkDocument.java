package dev.berth.store.network;

import dev.berth.core.error.InternalException;
import dev.berth.core.network.IpamPool;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkId;
import dev.berth.store.Documents;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code networks.config_json} holds: a network's settings besides its queried columns. The
 * field names are the stored ones (the fixture {@code src/test/resources/networks/config-v1.json}
 * is a row as berth wrote it) and must not change; a field renamed or added in {@link Network}
 * shows as a compile error here. A change of meaning needs a new {@code version}. {@code enableIPv6}
 * is written only when true, so rows of IPv4-only networks keep the shape earlier berths read.
 */
record NetworkDocument(int version, boolean internal, boolean attachable, String ipamDriver, List<PoolDoc> pools,
    Map<String, String> ipamOptions, Map<String, String> options, Map<String, String> labels, String bridge,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
    boolean enableIPv6) {

  static final int CURRENT = 1;

  static NetworkDocument of(Network n) {
    return new NetworkDocument(CURRENT, n.internal(), n.attachable(), n.ipamDriver(),
        Documents.mapEach(n.pools(), PoolDoc::of), Documents.sorted(n.ipamOptions()), Documents.sorted(n.options()),
        Documents.sorted(n.labels()), n.bridge(), n.enableIPv6());
  }

  NetworkDocument requireReadable(String id) {
    if (version != CURRENT) {
      throw new InternalException("network " + id + " has config version " + version + ", this berth reads only "
          + CURRENT);
    }
    return this;
  }

  /** The network these settings and its columns make. */
  Network toNetwork(NetworkId id, String name, String driver, Instant created) {
    return new Network(id, name, driver, created, internal, attachable, ipamDriver,
        Documents.mapEach(pools, PoolDoc::toCore), ipamOptions, options, labels, bridge, enableIPv6);
  }

  /** An {@link IpamPool}; {@code ipRange} null for the whole subnet. */
  record PoolDoc(String subnet, String gateway, String ipRange) {

    static PoolDoc of(IpamPool p) {
      return new PoolDoc(p.subnet(), p.gateway(), p.ipRange());
    }

    IpamPool toCore() {
      return new IpamPool(subnet, gateway, ipRange);
    }
  }
}
