package dev.berth.core.logs;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The direct buffers that log writes gather their entries in, shared by every container's log: a
 * write takes one for the length of its batch and gives it back, so memory follows the writes
 * under way rather than the logs open. (Each log held its own 256 KiB buffer for the container's
 * life: ~25 MiB of the daemon's memory with 100 quiet containers running, and, since a direct
 * buffer is freed only when the collector finds its owner dead, for long after they were gone.)
 *
 * <p>At most {@link #KEPT} idle buffers are kept; one given back beyond that is left to the
 * collector. Thread-safe.
 */
final class WriteBuffers {

  /** The size of every buffer: what one write to the file takes at most. */
  static final int SIZE = 256 * 1024;

  // As many as writes can run at once on the machine's processors; more would sit idle.
  private static final int KEPT = Math.max(2, Runtime.getRuntime().availableProcessors());

  private static final WriteBuffers SHARED = new WriteBuffers(KEPT);

  private final int kept;
  // Guarded by itself: idle buffers, the most recently used first (its pages are likeliest resident).
  private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

  WriteBuffers(int kept) {
    if (kept < 0) {
      throw new IllegalArgumentException("kept must be >= 0, got " + kept);
    }
    this.kept = kept;
  }

  static WriteBuffers shared() {
    return SHARED;
  }

  /** An empty buffer of {@link #SIZE} bytes, the caller's alone until it {@link #give}s it back. */
  ByteBuffer take() {
    synchronized (idle) {
      ByteBuffer b = idle.pollFirst();
      if (b != null) {
        return b.clear();
      }
    }
    return ByteBuffer.allocateDirect(SIZE);
  }

  /** Gives back a buffer from {@link #take}; the caller must not use it afterwards. */
  void give(ByteBuffer b) {
    synchronized (idle) {
      if (idle.size() < kept) {
        idle.addFirst(b);
      }
    }
  }

  int idle() {
    synchronized (idle) {
      return idle.size();
    }
  }
}
