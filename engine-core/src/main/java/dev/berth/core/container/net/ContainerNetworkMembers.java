package dev.berth.core.container.net;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.NetworkMembers;
import java.util.ArrayList;
import java.util.List;

/** Which containers are on which network, from the container records. */
public final class ContainerNetworkMembers implements NetworkMembers {

  private final ContainerRepository containers;

  public ContainerNetworkMembers(ContainerRepository containers) {
    this.containers = containers;
  }

  @Override
  public List<Member> of(NetworkId network) {
    var out = new ArrayList<Member>();
    for (Container c : containers.list()) {
      c.networking().endpoints().values().stream().filter(e -> network.equals(e.networkId())).findFirst()
          .ifPresent(e -> out.add(new Member(c.id().hex(), c.name().value(), c.state().isRunning(), e)));
    }
    return out;
  }
}
