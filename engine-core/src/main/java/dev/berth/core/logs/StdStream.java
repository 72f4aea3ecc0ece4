package dev.berth.core.logs;

/** The standard streams, numbered as in Docker's multiplexed stream header. */
public enum StdStream {
  STDIN(0),
  STDOUT(1),
  STDERR(2);

  private final int code;

  StdStream(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
