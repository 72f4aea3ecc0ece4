package dev.berth.core.logs;

import java.io.IOException;

/** Where read log records go; an IOException (the client went away) stops the read. */
@FunctionalInterface
public interface LogSink {
  void accept(LogEntry entry) throws IOException;
}
