package dev.berth.store;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A table as the last read of it found it, kept until the next write to it, for a repository
 * whose table is read far more often than written. It relies on this process being the table's
 * only writer, which the data root's lock ensures ({@code InstanceLock}).
 *
 * <p>Correct under concurrent writes without locks: every write bumps a generation after its
 * transaction has committed (or failed), and a read is used only while the generation noted
 * before it is still the current one. A read can be older than its label only if a write
 * committed during it, and that write's bump then makes the label stale. A write still in flight
 * may be missed, as it would be by a reader that came a moment earlier.
 *
 * <p>A stale read is let go as soon as it is known stale (at the write, or when a reader finds it
 * so), not kept until the next read of the table: it may hold a lot that is gone.
 *
 * @param <T> the table as read, immutable
 */
public final class TableCache<T> {

  private record Read<T>(long generation, T table) {}

  private final AtomicLong generation = new AtomicLong();
  private final AtomicReference<Read<T>> last = new AtomicReference<>();

  /** The table: the last read if no write happened since it, else a new one from {@code read}. */
  public T get(Supplier<T> read) {
    return current().orElseGet(() -> {
      long before = generation();
      T table = read.get();
      keep(before, table);
      return table;
    });
  }

  /** The last read, if no write happened since it. */
  public Optional<T> current() {
    Read<T> r = last.get();
    if (r == null) {
      return Optional.empty();
    }
    if (r.generation() == generation.get()) {
      return Optional.of(r.table());
    }
    // A slow reader kept it after a write: let it go, unless another reader replaced it meanwhile.
    last.compareAndSet(r, null);
    return Optional.empty();
  }

  /** The generation a reader notes before it reads, to pass to {@link #keep}. */
  public long generation() {
    return generation.get();
  }

  /** Keeps {@code table}, read by a reader that noted {@code readUnder} before it read. */
  public void keep(long readUnder, T table) {
    last.set(new Read<>(readUnder, table));
  }

  /** Called after every write to the table, committed or not: every read so far is stale. */
  public void written() {
    generation.incrementAndGet();
    last.set(null);
  }

  /** True while a read is kept, current or not. */
  public boolean holds() {
    return last.get() != null;
  }
}
