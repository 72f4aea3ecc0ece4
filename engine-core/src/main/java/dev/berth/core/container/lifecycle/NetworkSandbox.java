package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.net.ContainerNetwork;
import dev.berth.core.network.Networking;
import dev.berth.core.runtime.NetworkNamespace;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The sandbox berthd runs containers in: {@link ContainerNetwork}'s namespaces, CNI networks and
 * DNS. An adapter rather than {@code ContainerNetwork implements Sandbox}, because container.net
 * lies below this room and may not depend on it.
 */
final class NetworkSandbox implements Sandbox {

  private final ContainerNetwork network;

  NetworkSandbox(ContainerNetwork network) {
    this.network = network;
  }

  @Override
  public NetworkNamespace namespace(Container c) {
    return network.namespace(c);
  }

  @Override
  public CompletableFuture<Networking> beginSetUp(Container c) {
    return network.beginSetUp(c);
  }

  @Override
  public boolean servesNames(Container c) {
    return network.servesNames(c);
  }

  @Override
  public void ready(ContainerId id) {
    network.ready(id);
  }

  @Override
  public void tearDown(Container c) {
    network.tearDown(c);
  }

  @Override
  public void announce(Container c, String action) {
    network.announce(c, action);
  }

  @Override
  public void recover(Container c) {
    network.recover(c);
  }

  @Override
  public Set<ContainerId> present() {
    return network.present();
  }

  @Override
  public void forget(ContainerId id) {
    network.forget(id);
  }

  @Override
  public void removeLeftovers(Set<ContainerId> running) {
    network.removeLeftovers(running);
  }
}
