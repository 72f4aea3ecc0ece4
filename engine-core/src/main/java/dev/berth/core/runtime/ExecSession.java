package dev.berth.core.runtime;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A process started in a running container beside its init.
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>Exit code before end of output.</b> {@link AttachChannel#read()} on {@link #channel()}
 *       returns null only once {@link #exitCode()} is present (or the session has failed, when
 *       {@link #awaitExit()} throws). A caller that sees the stream end may report the exit code
 *       at once: the docker CLI asks for it ({@code GET /exec/{id}/json}) the instant its stream
 *       closes.
 *   <li><b>Nothing lingers.</b> When {@link #awaitExit()} returns or {@link #close()} has
 *       returned, the process is reaped and nothing of the session's is left running. This
 *       happens when the process ends whether or not anyone waits.
 *   <li>The process ends when the container's init does (the kernel kills its PID namespace).
 * </ul>
 */
public interface ExecSession extends AutoCloseable {

  /** The process's pid on the host. */
  int pid();

  /**
   * Its stdio, present when the exec was started with {@link ExecSpec#attach()}. Connected
   * before the process started, so no output is missed. Closing the channel's input closes the
   * process's stdin (when it has one and no TTY).
   */
  Optional<AttachChannel> channel();

  /**
   * Sets the size of the exec's TTY.
   *
   * @throws dev.berth.core.error.ConflictException if the process has ended
   * @throws dev.berth.core.error.InvalidArgumentException for a size outside 0..65535
   */
  void resize(int height, int width);

  /** The exit code if the process has ended (128 + signal when killed). */
  OptionalInt exitCode();

  /**
   * Blocks until the process has ended and the session is cleaned up, then returns the exit code.
   *
   * @throws dev.berth.core.error.InternalException if the session failed without one
   */
  int awaitExit() throws InterruptedException;

  /**
   * Ends the session: kills the process if it still runs and waits until it is reaped. Idempotent.
   */
  @Override
  void close();
}
