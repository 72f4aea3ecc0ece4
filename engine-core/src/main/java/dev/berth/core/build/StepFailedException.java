package dev.berth.core.build;


/**
 * A RUN whose command exited non-zero. The stream's error carries the exit code, as dockerd's
 * {@code jsonmessage.JSONError} does.
 */
public final class StepFailedException extends RuntimeException {

  private final int code;

  StepFailedException(String message, int code) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }

}
