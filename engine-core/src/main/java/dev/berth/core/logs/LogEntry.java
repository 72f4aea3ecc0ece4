package dev.berth.core.logs;

import java.time.Instant;

/**
 * One record of a container's log: what one read of its stdout or stderr gave, up to a newline.
 *
 * @param data the bytes written, with the trailing newline when the line was complete
 */
public record LogEntry(Instant time, StdStream stream, byte[] data) {

  /** True if the container wrote a newline after this (the record was not partial). */
  public boolean endsLine() {
    return data.length > 0 && data[data.length - 1] == '\n';
  }
}
