package dev.berth.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Gives memory back once a burst of work is over: when collections ran (the daemon was busy) and
 * then none for {@link #QUIET}, it asks for one full collection. The serial collector shrinks its
 * old generation only at a full collection (to {@code -XX:MaxHeapFreeRatio} free, at once with
 * {@code -XX:-ShrinkHeapInSteps}: packaging/common.sh), which an idle daemon otherwise never has,
 * so a heap grown by promoted garbage during a burst stayed at its peak (docs/benchmarks.md, issue
 * 15: memory); the JVM's native-heap trim ({@code -XX:TrimNativeHeapInterval}) returns what the
 * collection freed outside the heap. An idle daemon collects nothing: only a collection since the
 * last look counts as work, and the full one asked for here is not counted.
 *
 * <p>Started once by {@code Main} after the engine is up; one virtual thread, asleep between looks.
 */
final class IdleCollector {

  /** How long without a collection counts as idle; also how often it looks. */
  static final Duration QUIET = Duration.ofSeconds(5);

  /** The collector as seen from here. */
  interface Heap {
    /** Collections of any kind so far. */
    long collections();

    /** One full collection. */
    void collect();
  }

  private final Heap heap;
  private long seen;
  private boolean busy;

  IdleCollector(Heap heap) {
    this.heap = heap;
    this.seen = heap.collections();
  }

  /**
   * Starts looking every {@link #QUIET} on a virtual thread, for the JVM's life. The collectors'
   * management beans are made only at the first look, so that their loading is no part of the
   * engine's start.
   */
  static void start() {
    Thread.ofVirtual().name("berth-idle-collector").start(() -> {
      try {
        Thread.sleep(QUIET);
        var idle = new IdleCollector(new JvmHeap(ManagementFactory.getGarbageCollectorMXBeans()));
        while (true) {
          Thread.sleep(QUIET);
          idle.look();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * One look: collects if collections ran before the last look and none since.
   *
   * @return whether it collected
   */
  boolean look() {
    long now = heap.collections();
    if (now != seen) {
      seen = now;
      busy = true;
      return false;
    }
    if (!busy) {
      return false;
    }
    busy = false;
    heap.collect();
    seen = heap.collections();
    return true;
  }

  /** This JVM's collectors, summed. */
  private record JvmHeap(List<GarbageCollectorMXBean> collectors) implements Heap {

    JvmHeap {
      collectors = List.copyOf(collectors);
    }

    @Override
    public long collections() {
      long n = 0;
      for (GarbageCollectorMXBean c : collectors) {
        n += Math.max(0, c.getCollectionCount());
      }
      return n;
    }

    @Override
    public void collect() {
      System.gc();
    }
  }
}
