package dev.berth.core.runtime;

import dev.berth.core.logs.StdStream;
import java.io.Closeable;
import java.io.IOException;

/**
 * One client's connection to a running container's stdio through its monitor. Output written
 * while no channel is open is not replayed here; it is in the log.
 */
public interface AttachChannel extends Closeable {

  /** A piece of output. */
  record Chunk(StdStream stream, byte[] data) {}

  /** Blocks for the next output; null once the container's output has ended. */
  Chunk read() throws IOException;

  void writeStdin(byte[] data, int offset, int length) throws IOException;

  /** Signals end of input from this client (the container's stdin closes if it was stdin-once). */
  void closeStdin() throws IOException;
}
