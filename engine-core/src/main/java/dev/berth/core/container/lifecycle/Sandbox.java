package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.network.Networking;
import dev.berth.core.runtime.NetworkNamespace;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What a container runs in besides its filesystem, as the lifecycle uses it: its network
 * namespace, its networks and published ports, and the names berth answers inside it. Set-up
 * undoes itself when it fails and tear-down is idempotent, so a start that fails at any step
 * can always tear down, whether or not set-up ran.
 */
interface Sandbox {

  /**
   * The namespace the runtime puts the container in.
   *
   * @throws dev.berth.core.error.ConflictException if it joins another container that is not running
   */
  NetworkNamespace namespace(Container c);

  /**
   * Makes the namespace, joins every network and publishes the ports. The namespace is made
   * before this returns, so that the runtime can create the container in it; the networks may be
   * joined beside the caller. What fails before the joining begins (a network gone, a port taken)
   * may be thrown here; the future completes with the networking as set up, or with what failed,
   * in either case undone.
   */
  CompletableFuture<Networking> beginSetUp(Container c);

  /** Whether berth answers names inside the container (it is on a user-defined network). */
  boolean servesNames(Container c);

  /** Waits for what {@link #beginSetUp} began on the host's side; call before the process runs. */
  void ready(ContainerId id);

  /** Undoes {@link #beginSetUp}; idempotent, never fails half-way. */
  void tearDown(Container c);

  /** Publishes the network events of a start ({@code connect}) or an exit ({@code disconnect}). */
  void announce(Container c, String action);

  /** After berthd restarts: takes a running container's ports again and answers its names again. */
  void recover(Container c);

  /** The containers whose network the host still holds (namespace, CNI result or lease), running or not. */
  Set<ContainerId> present();

  /**
   * Undoes what the host still holds for a container that has no record any more: the network
   * attachments whose DEL did not finish (a plugin or berthd was killed during it).
   */
  void forget(ContainerId id);

  /** Removes namespaces no container in {@code running} owns: what a crash left. */
  void removeLeftovers(Set<ContainerId> running);
}
