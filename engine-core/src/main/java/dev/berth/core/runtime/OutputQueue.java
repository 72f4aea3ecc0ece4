package dev.berth.core.runtime;

import dev.berth.core.logs.StdStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Output handed from the thread that reads it to one client. The queue is bounded, so a slow
 * client holds its producer back as a full pipe would; once the client has gone, what is
 * delivered is dropped.
 */
final class OutputQueue {

  private static final int CHUNKS = 64;
  private static final AttachChannel.Chunk END = new AttachChannel.Chunk(StdStream.STDOUT, new byte[0]);

  private final BlockingQueue<AttachChannel.Chunk> queue = new ArrayBlockingQueue<>(CHUNKS);
  private volatile boolean closed;

  /** Blocks while the client is behind, unless it has gone. */
  void deliver(AttachChannel.Chunk chunk) throws InterruptedException {
    while (!closed && !queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
      // The client is slow: wait, as a writer to a full pipe would.
    }
  }

  /** No more output; reads after what was delivered answer null, every time. */
  void end() {
    while (!queue.offer(END)) {
      queue.poll();
    }
  }

  /** The next chunk, or null once ended. */
  AttachChannel.Chunk read() throws InterruptedIOException {
    try {
      AttachChannel.Chunk chunk = queue.take();
      if (chunk == END) {
        queue.offer(END);
        return null;
      }
      return chunk;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for output");
    }
  }

  /** The client has gone (or detached): a read blocked for more output returns null. */
  void close() {
    closed = true;
    queue.clear();
    end();
  }

  boolean closed() {
    return closed;
  }
}
