package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TableCacheTest {

  private final TableCache<Integer> cache = new TableCache<>();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void aReadIsKeptUntilTheNextWrite() {
    assertEquals(1, cache.get(reads::incrementAndGet));
    assertEquals(1, cache.get(reads::incrementAndGet));
    cache.written();
    assertEquals(2, cache.get(reads::incrementAndGet));
    assertEquals(2, cache.get(reads::incrementAndGet));
  }

  @Test
  void aReadAWriteOverlappedIsAnsweredButNotKept() {
    // The write commits while the read runs: the read may or may not have seen it.
    assertEquals(1, cache.get(() -> {
      cache.written();
      return reads.incrementAndGet();
    }));
    assertEquals(2, cache.get(reads::incrementAndGet));
    assertEquals(2, cache.get(reads::incrementAndGet));
  }
}
