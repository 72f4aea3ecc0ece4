package dev.berth.core.logs;

import java.io.IOException;

/** Where read log records go; an IOException (the client went away) stops the read. */
@FunctionalInterface
public interface LogSink {
  void accept(LogEntry entry) throws IOException;

  /**
   * The reader has handed over everything there is for now and is about to wait for more (a
   * follow): a sink that buffers sends what it holds. Records may be buffered until then, so a
   * read of a long log costs no write per record.
   */
  default void flush() throws IOException {}
}
