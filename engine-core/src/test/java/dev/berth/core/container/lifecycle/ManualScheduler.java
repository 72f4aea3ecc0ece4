package dev.berth.core.container.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time a test runs by hand: nothing runs until the test says so, on the test's
 * thread. Each delay asked for is kept, so a test checks the backoff without waiting it out.
 */
final class ManualScheduler implements Scheduler {

  /** A task and when it asked to run. */
  final class Task implements Scheduled {
    final String name;
    final Duration delay;
    private final Runnable work;

    private Task(String name, Duration delay, Runnable work) {
      this.name = name;
      this.delay = delay;
      this.work = work;
    }

    /** Runs it now, as if its delay had passed. */
    void run() {
      if (queue.remove(this)) {
        work.run();
      }
    }

    @Override
    public boolean cancel() {
      return queue.remove(this);
    }

    @Override
    public String toString() {
      return name + " after " + delay;
    }
  }

  private final LinkedBlockingDeque<Task> queue = new LinkedBlockingDeque<>();
  private final List<Task> asked = new ArrayList<>();

  @Override
  public Scheduled schedule(String name, Duration delay, Runnable task) {
    var t = new Task(name, delay, task);
    synchronized (asked) {
      asked.add(t);
    }
    queue.add(t);
    return t;
  }

  /** Every delay asked for of tasks named {@code prefix}..., cancelled or not, in order. */
  List<Duration> delays(String prefix) {
    synchronized (asked) {
      return asked.stream().filter(t -> t.name.startsWith(prefix)).map(t -> t.delay).toList();
    }
  }

  /** The tasks waiting to run. */
  List<Task> pending() {
    return List.copyOf(queue);
  }

  /** Runs the tasks waiting now, in order; what they schedule waits for the next call. */
  void runPending() {
    pending().forEach(Task::run);
  }

  /**
   * The next task to be scheduled, waiting for another thread to schedule it (a stop waiting for
   * its timeout); fails after 10 s.
   */
  Task awaitNext() throws InterruptedException {
    Task t = queue.pollFirst(10, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("nothing was scheduled");
    }
    queue.addFirst(t);
    return t;
  }

  @Override
  public void close() {
    queue.clear();
  }
}
