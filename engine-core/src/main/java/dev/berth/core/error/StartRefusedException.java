package dev.berth.core.error;

/**
 * The runtime would not start a process for a reason in the request: its program is missing or
 * cannot be run, or its working directory is missing (400). Docker records an exit code for such
 * a start, which the CLI then exits with: 127 when something was not found, 126 when it could not
 * be run, 128 otherwise for a container.
 */
public final class StartRefusedException extends EngineException {

  private final int exitCode;
  private final String daemonNote;

  public StartRefusedException(String message, int exitCode) {
    this(message, exitCode, "");
  }

  /**
   * @param daemonNote what dockerd adds after the runtime's words when it records such a refusal
   *     (moby setExitCodeFromError: ": permission denied" for a directory, a hint for ENOTDIR)
   */
  public StartRefusedException(String message, int exitCode, String daemonNote) {
    super(message);
    this.exitCode = exitCode;
    this.daemonNote = daemonNote;
  }

  /** What dockerd appends to the runtime's words for this refusal; empty for most. */
  public String daemonNote() {
    return daemonNote;
  }

  public int exitCode() {
    return exitCode;
  }
}
