package dev.berth.core.container.attach;

import dev.berth.core.container.model.Container;
import dev.berth.core.logs.StdStream;
import dev.berth.core.runtime.AttachChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One client attached to a container. Before the container starts the session waits; the start
 * connects it to the monitor before the process runs, so no early output is missed.
 */
public final class AttachSession implements StdioSession {

  /** Replays what was logged so far into a sink, for {@code logs=1}. */
  @FunctionalInterface
  interface Replay {
    void into(OutputSink sink) throws IOException;
  }

  private final Container container;
  private final AttachOptions options;
  private final Replay replay;
  private final CompletableFuture<AttachChannel> channel = new CompletableFuture<>();
  private final java.util.function.Consumer<AttachSession> onClose;
  private final Runnable onDetach;
  // Set when the attach failed after the client was answered: written on stdout whatever the streams asked.
  private final String failure;

  AttachSession(Container container, AttachOptions options, Replay replay,
      java.util.function.Consumer<AttachSession> onClose, Runnable onDetach) {
    this(container, options, replay, onClose, onDetach, null);
  }

  private AttachSession(Container container, AttachOptions options, Replay replay,
      java.util.function.Consumer<AttachSession> onClose, Runnable onDetach, String failure) {
    this.container = container;
    this.options = options;
    this.replay = replay;
    this.onClose = onClose;
    this.onDetach = onDetach;
    this.failure = failure;
  }

  /** A session that only says why the attach failed, as dockerd writes it on the attached stream. */
  static AttachSession failed(Container container, AttachOptions options, String message,
      java.util.function.Consumer<AttachSession> onClose) {
    return new AttachSession(container, options, sink -> { }, onClose, () -> { }, message);
  }

  public Container container() {
    return container;
  }

  @Override
  public boolean tty() {
    return container.config().tty();
  }

  AttachOptions options() {
    return options;
  }

  void connect(AttachChannel ch) {
    if (!channel.complete(ch)) {
      closeQuietly(ch);
    }
  }

  /** No (more) live output will come: the container is gone, or the client only wanted logs. */
  void end() {
    channel.complete(null);
  }

  /** Copies the container's output to {@code sink} until it ends (logged output first if asked). */
  @Override
  public void copyOutput(OutputSink sink) throws IOException, InterruptedException {
    if (failure != null) {
      byte[] b = failure.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      sink.write(StdStream.STDOUT, b, 0, b.length);
      return;
    }
    if (options.logs()) {
      replay.into((stream, data, off, len) -> {
        if (wanted(stream)) {
          sink.write(stream, data, off, len);
        }
      });
    }
    AttachChannel ch = awaitChannel();
    if (ch == null) {
      return;
    }
    AttachChannel.Chunk chunk;
    while ((chunk = ch.read()) != null) {
      if (wanted(chunk.stream())) {
        sink.write(chunk.stream(), chunk.data(), 0, chunk.data().length);
      }
    }
  }

  /**
   * Copies the client's input to the container's stdin until the client closes it or types the
   * detach keys. On close, the container's stdin is closed if it is stdin-once (the monitor
   * decides, from how it was made); a detach leaves it open.
   */
  @Override
  public InputEnd copyInput(InputStream in) throws IOException, InterruptedException {
    if (!options.stdin() || !container.config().openStdin()) {
      return InputEnd.CLOSED;
    }
    byte[] buf = new byte[32 * 1024];
    int n = in.read(buf);
    AttachChannel ch = awaitChannel();
    if (ch == null) {
      return InputEnd.CLOSED;
    }
    // As dockerd: only a TTY's input is watched for the detach keys; other input may be binary.
    InputEnd end = StdioSession.pumpInput(in, buf, n, tty() ? options.detachKeys() : null, ch);
    if (end == InputEnd.DETACHED) {
      onDetach.run();
    }
    return end;
  }

  private boolean wanted(StdStream s) {
    return tty() || (s == StdStream.STDOUT ? options.stdout() : options.stderr());
  }

  private AttachChannel awaitChannel() throws InterruptedException, IOException {
    try {
      return channel.get();
    } catch (ExecutionException e) {
      throw new IOException("attach failed", e.getCause());
    }
  }

  @Override
  public void close() {
    onClose.accept(this);
    if (!channel.complete(null)) {
      AttachChannel ch = channel.getNow(null);
      if (ch != null) {
        closeQuietly(ch);
      }
    }
  }

  private static void closeQuietly(AttachChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // the monitor went away first
    }
  }
}
