package dev.berth.core.logs;

import java.time.Instant;
import java.util.Map;

/**
 * One record of a container's log: what one read of its stdout or stderr gave, up to a newline
 * (a line longer than 16 KB comes in several records, as dockerd splits it).
 *
 * @param data the bytes written, with the trailing newline when the line was complete
 * @param attrs the labels and environment the driver was asked to add ({@code --log-opt labels=...}),
 *     which {@code docker logs --details} shows
 */
public record LogEntry(Instant time, StdStream stream, byte[] data, Map<String, String> attrs) {

  public LogEntry {
    attrs = attrs == null ? Map.of() : attrs;
  }

  public LogEntry(Instant time, StdStream stream, byte[] data) {
    this(time, stream, data, Map.of());
  }

  /** True if the container wrote a newline after this (the record was not partial). */
  public boolean endsLine() {
    return data.length > 0 && data[data.length - 1] == '\n';
  }
}
