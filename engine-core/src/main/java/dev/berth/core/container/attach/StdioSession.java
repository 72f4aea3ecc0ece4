package dev.berth.core.container.attach;

import dev.berth.core.container.model.DetachKeys;
import dev.berth.core.logs.StdStream;
import dev.berth.core.runtime.AttachChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** A client connected to a process's stdio: a container attach or an exec. */
public interface StdioSession extends AutoCloseable {

  /** Where output goes; throws when the client is gone. */
  @FunctionalInterface
  interface OutputSink {
    void write(StdStream stream, byte[] data, int offset, int length) throws IOException;
  }

  /** How a client's input ended. */
  enum InputEnd {
    /** The client closed its input (or never sent any). */
    CLOSED,
    /** The client typed the detach keys: it leaves, the process stays. */
    DETACHED
  }

  /** Whether output is a raw TTY stream rather than separate stdout and stderr. */
  boolean tty();

  /** Copies the process's output to {@code sink} until it ends. */
  void copyOutput(OutputSink sink) throws IOException, InterruptedException;

  /** Copies the client's input to the process until the client closes it or types the detach keys. */
  InputEnd copyInput(InputStream in) throws IOException, InterruptedException;

  /** Disconnects this client; the process goes on. */
  @Override
  void close();

  /**
   * Copies {@code in} to {@code ch}'s stdin, watching for the detach keys (none when null: dockerd
   * looks for them only in the input of a TTY), which never reach the process. On end of input
   * the process's stdin is closed; on a detach it stays open.
   */
  static InputEnd pumpInput(InputStream in, byte[] first, int firstLength, DetachKeys keys, AttachChannel ch)
      throws IOException {
    if (keys == null) {
      byte[] buf = first;
      for (int n = firstLength; n >= 0; n = in.read(buf)) {
        if (n > 0) {
          ch.writeStdin(buf, 0, n);
        }
      }
      ch.closeStdin();
      return InputEnd.CLOSED;
    }
    DetachKeys.Scanner scanner = keys.scanner();
    var forward = new ByteArrayOutputStream();
    byte[] buf = first;
    int n = firstLength;
    while (n >= 0) {
      forward.reset();
      boolean detached = scanner.feed(buf, 0, n, forward);
      if (forward.size() > 0) {
        ch.writeStdin(forward.toByteArray(), 0, forward.size());
      }
      if (detached) {
        return InputEnd.DETACHED;
      }
      n = in.read(buf);
    }
    ch.closeStdin();
    return InputEnd.CLOSED;
  }
}
