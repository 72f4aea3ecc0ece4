package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.network.Networking;
import dev.berth.core.runtime.NetworkNamespace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A sandbox without namespaces or CNI, for tests: it writes each call to the journal ({@code
 * sandbox.setUp}, {@code sandbox.announce connect}, ...) and keeps which containers are set up, so
 * a test sees what a failed start left. A call can be made to throw once ({@link #failAt}).
 */
final class FakeSandbox implements Sandbox {

  private final List<String> journal;
  private final Set<ContainerId> up = new HashSet<>();
  private final Set<ContainerId> recovered = new HashSet<>();
  private final Map<String, RuntimeException> failures = new HashMap<>();
  private Set<ContainerId> keptAtLeftovers;

  FakeSandbox(List<String> journal) {
    this.journal = journal;
  }

  /** The next call of {@code call} ({@code namespace}, {@code setUp}, {@code ready}) throws {@code e}. */
  synchronized void failAt(String call, RuntimeException e) {
    failures.put(call, e);
  }

  /** Whether the container's sandbox is set up and not torn down. */
  synchronized boolean isUp(ContainerId id) {
    return up.contains(id);
  }

  synchronized boolean recovered(ContainerId id) {
    return recovered.contains(id);
  }

  /** The running containers {@link #removeLeftovers} was told to keep; null if it was not called. */
  synchronized Set<ContainerId> keptAtLeftovers() {
    return keptAtLeftovers;
  }

  @Override
  public synchronized NetworkNamespace namespace(Container c) {
    call("namespace");
    return NetworkNamespace.join(Path.of("/run/fake/netns", c.id().hex()));
  }

  /** Joins at once; journalled as {@code setUp}, as its failure is. */
  @Override
  public synchronized CompletableFuture<Networking> beginSetUp(Container c) {
    try {
      call("setUp");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    up.add(c.id());
    return CompletableFuture.completedFuture(c.networking());
  }

  @Override
  public boolean servesNames(Container c) {
    return false;
  }

  @Override
  public synchronized void ready(ContainerId id) {
    call("ready");
  }

  @Override
  public synchronized void tearDown(Container c) {
    call("tearDown");
    up.remove(c.id());
  }

  @Override
  public synchronized void announce(Container c, String action) {
    call("announce " + action);
  }

  @Override
  public synchronized void recover(Container c) {
    call("recover");
    recovered.add(c.id());
    up.add(c.id());
  }

  @Override
  public synchronized void forget(ContainerId id) {
    call("forget");
    up.remove(id);
  }

  @Override
  public synchronized Set<ContainerId> present() {
    return Set.copyOf(up);
  }

  @Override
  public synchronized void removeLeftovers(Set<ContainerId> running) {
    call("removeLeftovers");
    keptAtLeftovers = Set.copyOf(running);
  }

  private void call(String call) {
    journal.add("sandbox." + call);
    RuntimeException failure = failures.remove(call.split(" ")[0]);
    if (failure != null) {
      throw failure;
    }
  }
}
