package dev.berth.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A table as the last read of it found it, kept until the next write to it, for a repository
 * whose table is small and read far more often than written. It relies on this process being the
 * table's only writer, which the data root's lock ensures ({@code InstanceLock}).
 *
 * <p>Correct under concurrent writes without locks: every write bumps a generation after its
 * transaction has committed (or failed), and a read is kept only while the generation noted
 * before it is still the current one. A read can be older than its label only if a write
 * committed during it, and that write's bump then makes the label stale. A write still in flight
 * may be missed, as it would be by a reader that came a moment earlier.
 *
 * @param <T> the table as read, immutable
 */
public final class TableCache<T> {

  private record Read<T>(long generation, T table) {}

  private final AtomicLong generation = new AtomicLong();
  private final AtomicReference<Read<T>> last = new AtomicReference<>();

  /** The table: the last read if no write happened since it, else a new one from {@code read}. */
  public T get(Supplier<T> read) {
    Read<T> r = last.get();
    long current = generation.get();
    if (r != null && r.generation() == current) {
      return r.table();
    }
    T table = read.get();
    last.set(new Read<>(current, table));
    return table;
  }

  /** Called after every write to the table, committed or not: every read so far is stale. */
  public void written() {
    generation.incrementAndGet();
    last.set(null);
  }
}
