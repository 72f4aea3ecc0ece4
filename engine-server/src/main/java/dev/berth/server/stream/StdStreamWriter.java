package dev.berth.server.stream;

import dev.berth.core.logs.StdStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes container output the way Docker does: without a TTY, each piece is a stdcopy frame
 * {@code [stream, 0, 0, 0, length (uint32 BE)]} + payload, so stdout and stderr stay apart; with a
 * TTY the bytes go out raw. Every write is flushed (clients render output as it comes), unless
 * the writer is told to buffer: then its owner flushes when it has nothing more for now.
 */
public final class StdStreamWriter {

  private final OutputStream out;
  private final boolean multiplexed;
  private final boolean flushEach;

  public StdStreamWriter(OutputStream out, boolean multiplexed) {
    this(out, multiplexed, true);
  }

  /**
   * @param flushEach false to buffer writes (64 KiB) until {@link #flush}: for a log read, whose
   *     records come faster than a write each could send them
   */
  public StdStreamWriter(OutputStream out, boolean multiplexed, boolean flushEach) {
    this.out = flushEach ? out : new java.io.BufferedOutputStream(out, 64 * 1024);
    this.multiplexed = multiplexed;
    this.flushEach = flushEach;
  }

  /** Sends what a buffering writer holds. */
  public synchronized void flush() throws IOException {
    out.flush();
  }

  public synchronized void write(StdStream stream, byte[] data, int offset, int length) throws IOException {
    if (length == 0) {
      return;
    }
    if (multiplexed) {
      out.write(new byte[] {(byte) stream.code(), 0, 0, 0,
          (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
    }
    out.write(data, offset, length);
    if (flushEach) {
      out.flush();
    }
  }

  /** A daemon error after the stream began: stream type 3, which the CLI turns into an error. */
  public synchronized void error(String message) throws IOException {
    byte[] b = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (multiplexed) {
      out.write(new byte[] {3, 0, 0, 0, (byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8),
          (byte) b.length});
      out.write(b);
      out.flush();
    }
  }
}
