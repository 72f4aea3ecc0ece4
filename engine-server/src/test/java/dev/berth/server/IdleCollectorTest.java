package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 15: one full collection once a burst of work is over, none while busy or idle. */
class IdleCollectorTest {

  /** Collections counted as the collector would: a full one asked for counts too. */
  private static final class FakeHeap implements IdleCollector.Heap {
    long collections;
    int fullCollections;

    @Override
    public long collections() {
      return collections;
    }

    @Override
    public void collect() {
      fullCollections++;
      collections++;
    }
  }

  @Test
  void anIdleDaemonIsNeverCollected() {
    var heap = new FakeHeap();
    heap.collections = 7;
    var idle = new IdleCollector(heap);
    for (int i = 0; i < 10; i++) {
      assertFalse(idle.look());
    }
    assertEquals(0, heap.fullCollections);
  }

  @Test
  void collectsOnceWhenCollectionsStop() {
    var heap = new FakeHeap();
    var idle = new IdleCollector(heap);
    heap.collections += 3;
    assertFalse(idle.look(), "busy: collections since the last look");
    heap.collections += 1;
    assertFalse(idle.look(), "still busy");
    assertTrue(idle.look(), "a quiet look after work");
    assertEquals(1, heap.fullCollections);
    assertFalse(idle.look(), "its own collection is not work");
    assertFalse(idle.look());
    assertEquals(1, heap.fullCollections);
  }

  @Test
  void eachBurstEndsInOneCollection() {
    var heap = new FakeHeap();
    var idle = new IdleCollector(heap);
    for (int burst = 1; burst <= 3; burst++) {
      heap.collections += 5;
      assertFalse(idle.look());
      assertTrue(idle.look());
      assertFalse(idle.look());
      assertEquals(burst, heap.fullCollections);
    }
  }
}
