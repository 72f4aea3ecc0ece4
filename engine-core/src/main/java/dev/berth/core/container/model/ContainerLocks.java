package dev.berth.core.container.model;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per container, so that a state change (start, exit, removal, attach registration) is
 * never interleaved with another on the same container. Reentrant: an exit handled inside a
 * removal already holding the lock does not deadlock.
 */
public final class ContainerLocks {

  private final ConcurrentHashMap<ContainerId, ReentrantLock> locks = new ConcurrentHashMap<>();

  public <T> T with(ContainerId id, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  public void run(ContainerId id, Runnable work) {
    with(id, () -> {
      work.run();
      return null;
    });
  }

  /**
   * Takes the lock for work that outlives a call (a tar streamed after its headers); the caller
   * must {@link #unlockFor} it on the same thread.
   */
  public void lockFor(ContainerId id) {
    locks.computeIfAbsent(id, k -> new ReentrantLock()).lock();
  }

  public void unlockFor(ContainerId id) {
    ReentrantLock lock = locks.get(id);
    if (lock != null && lock.isHeldByCurrentThread()) {
      lock.unlock();
    }
  }

  /** Drops the lock object of a container that no longer exists. */
  public void forget(ContainerId id) {
    locks.remove(id);
  }
}
