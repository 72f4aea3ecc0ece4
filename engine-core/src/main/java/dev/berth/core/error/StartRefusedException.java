package dev.berth.core.error;

/**
 * The runtime would not start a process for a reason in the request: its program is missing or
 * cannot be run, or its working directory is missing (400). Docker records an exit code for such
 * a start, which the CLI then exits with: 127 when something was not found, 126 when it could not
 * be run, 128 otherwise for a container.
 */
public final class StartRefusedException extends EngineException {

  private final int exitCode;

  public StartRefusedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
