package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ExitStatus;
import dev.berth.core.container.model.WaitCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Clients blocked in {@code wait}, and the engine's own waits for an exit to be recorded. */
final class ContainerWaiters {

  private record Waiter(WaitCondition condition, CompletableFuture<ExitStatus> future) {}

  private final Map<ContainerId, List<Waiter>> waiters = new ConcurrentHashMap<>();

  CompletableFuture<ExitStatus> add(ContainerId id, WaitCondition condition) {
    var f = new CompletableFuture<ExitStatus>();
    waiters.compute(id, (k, list) -> {
      var l = list == null ? new ArrayList<Waiter>() : list;
      l.add(new Waiter(condition, f));
      return l;
    });
    return f;
  }

  /** Drops a wait that is no longer wanted, so that a stopped container keeps none. */
  void cancel(ContainerId id, CompletableFuture<ExitStatus> future) {
    waiters.computeIfPresent(id, (k, list) -> {
      list.removeIf(w -> w.future == future);
      return list.isEmpty() ? null : list;
    });
  }

  /** The container's process ended: not-running and next-exit waits are over. */
  void exited(ContainerId id, ExitStatus status) {
    complete(id, status, false);
  }

  /** The container is gone: every wait is over. */
  void removed(ContainerId id, ExitStatus status) {
    complete(id, status, true);
  }

  private void complete(ContainerId id, ExitStatus status, boolean all) {
    var done = new ArrayList<Waiter>();
    waiters.computeIfPresent(id, (k, list) -> {
      list.removeIf(w -> {
        if (all || w.condition != WaitCondition.REMOVED) {
          done.add(w);
          return true;
        }
        return false;
      });
      return list.isEmpty() ? null : list;
    });
    done.forEach(w -> w.future.complete(status));
  }
}
