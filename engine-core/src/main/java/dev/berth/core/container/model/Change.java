package dev.berth.core.container.model;

/**
 * One entry of {@code docker diff}.
 *
 * @param path absolute path in the container
 */
public record Change(String path, Kind kind) {

  /** moby archive.ChangeType: its numbers are the wire format. */
  public enum Kind {
    MODIFIED(0),
    ADDED(1),
    DELETED(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
