package dev.berth.core.logs;

import java.nio.file.Path;
import java.util.Optional;

/** The log drivers berth has, by dockerd's names, and where each keeps a container's log. */
public enum LogDriver {
  /** dockerd's default: one JSON object a line, {@code <container dir>/<id>-json.log}. */
  JSON_FILE("json-file"),
  /** dockerd's local driver: length-framed protobuf entries, {@code <container dir>/local-logs/container.log}. */
  LOCAL("local"),
  /** No log at all; {@code docker logs} is refused. */
  NONE("none");

  private final String driverName;

  LogDriver(String driverName) {
    this.driverName = driverName;
  }

  public String driverName() {
    return driverName;
  }

  public static Optional<LogDriver> named(String name) {
    for (LogDriver d : values()) {
      if (d.driverName.equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The driver's current file for container {@code id} whose directory is {@code dir}; empty for none. */
  public Optional<Path> file(Path dir, String id) {
    return switch (this) {
      case JSON_FILE -> Optional.of(dir.resolve(id + "-json.log"));
      case LOCAL -> Optional.of(dir.resolve("local-logs").resolve("container.log"));
      case NONE -> Optional.empty();
    };
  }

  LogFormat format() {
    return switch (this) {
      case JSON_FILE -> JsonFileFormat.INSTANCE;
      case LOCAL -> LocalFormat.INSTANCE;
      case NONE -> throw new IllegalStateException("the none driver has no format");
    };
  }
}
