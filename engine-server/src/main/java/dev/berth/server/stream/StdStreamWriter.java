package dev.berth.server.stream;

import dev.berth.core.logs.StdStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes container output the way Docker does: without a TTY, each piece is a stdcopy frame
 * {@code [stream, 0, 0, 0, length (uint32 BE)]} + payload, so stdout and stderr stay apart; with a
 * TTY the bytes go out raw. Every write is flushed: clients render output as it comes.
 */
public final class StdStreamWriter {

  private final OutputStream out;
  private final boolean multiplexed;

  public StdStreamWriter(OutputStream out, boolean multiplexed) {
    this.out = out;
    this.multiplexed = multiplexed;
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
    out.flush();
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
