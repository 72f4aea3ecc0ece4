package dev.berth.store.network;

import dev.berth.core.error.InternalException;
import dev.berth.core.network.IpamPool;
import java.util.List;
import java.util.Map;

/** What {@code networks.config_json} holds. */
record NetworkDocument(int version, boolean internal, boolean attachable, String ipamDriver, List<IpamPool> pools,
    Map<String, String> ipamOptions, Map<String, String> options, Map<String, String> labels, String bridge) {

  static final int CURRENT = 1;

  NetworkDocument requireReadable(String id) {
    if (version != CURRENT) {
      throw new InternalException("network " + id + " has config version " + version + ", this berth reads only "
          + CURRENT);
    }
    return this;
  }
}
