package dev.berth.core.container.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Delays kept by one daemon timer thread; each task runs on a virtual thread, so a slow one delays no other. */
final class VirtualThreadScheduler implements Scheduler {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lifecycle-timer");
    t.setDaemon(true);
    return t;
  });

  @Override
  public Scheduled schedule(String name, Duration delay, Runnable task) {
    ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name(name).start(task), delay.toMillis(),
        TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
