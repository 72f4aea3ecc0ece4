package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An exec under its own conmon. One virtual thread per session waits for conmon's second sync
 * message (the exit code), then waits for conmon to exit and removes the session's files; only
 * then is the session done. conmon closes attach connections before it reports the exit code, so
 * the channel handed out holds back its end of output until the exit code is known; it does not
 * wait for the clean-up, which is nobody's latency but {@link #awaitExit}'s.
 */
final class ConmonExecSession implements ExecSession {

  private static final int SIGKILL = 9;
  private static final int MONITOR_EXIT_TIMEOUT_MILLIS = 10_000;
  // Long enough for the monitor thread's own bounded waits (two conmon exit timeouts).
  private static final long CLOSE_TIMEOUT_MILLIS = 3L * MONITOR_EXIT_TIMEOUT_MILLIS;

  /** Where an exec's conmon is, to wait for it; start time -1 when it had already exited. */
  record Monitor(int pid, long startTime) {}

  private final String execId;
  private final String containerId;
  private final ConmonArgs.ExecFiles files;
  private final Path socketLink;
  private final int pid;
  private final long pidStartTime;
  private final Monitor monitor;
  private final ConmonLauncher.Session launch;
  private final AttachChannel channel;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private final CompletableFuture<Integer> done = new CompletableFuture<>();

  private ConmonExecSession(String execId, String containerId, ConmonArgs.ExecFiles files, Path socketLink, int pid,
      long pidStartTime, Monitor monitor, ConmonLauncher.Session launch, AttachChannel rawChannel) {
    this.execId = execId;
    this.containerId = containerId;
    this.files = files;
    this.socketLink = socketLink;
    this.pid = pid;
    this.pidStartTime = pidStartTime;
    this.monitor = monitor;
    this.launch = launch;
    this.channel = rawChannel == null ? null : new HeldBackChannel(rawChannel);
  }

  /** A session whose process runs; takes over {@code launch} and {@code rawChannel}. */
  static ConmonExecSession started(String execId, String containerId, ConmonArgs.ExecFiles files, Path socketLink,
      int pid, Monitor monitor, ConmonLauncher.Session launch, AttachChannel rawChannel) {
    long pidStart = Processes.startTime(pid).orElse(-1);
    var session =
        new ConmonExecSession(execId, containerId, files, socketLink, pid, pidStart, monitor, launch, rawChannel);
    Thread.ofVirtual().name("exec-" + execId.substring(0, 12)).start(session::watch);
    return session;
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public Optional<AttachChannel> channel() {
    return Optional.ofNullable(channel);
  }

  @Override
  public void resize(int height, int width) {
    CtlFifo.resize(files.ctl(), height, width, "exec " + execId + " is not running");
  }

  @Override
  public OptionalInt exitCode() {
    if (!exited.isDone() || exited.isCompletedExceptionally()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(exited.join());
  }

  @Override
  public int awaitExit() throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new InternalException(e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (!done.isDone() && pidStartTime >= 0) {
      // The monitor sees the process die, reports 137 and exits; the watch thread cleans up.
      Processes.signalIfSame(pid, pidStartTime, SIGKILL);
    }
    try {
      done.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // The failure is awaitExit's to report; closing still closes.
    } catch (TimeoutException e) {
      throw new InternalException("exec " + execId + " did not end within " + CLOSE_TIMEOUT_MILLIS + " ms of SIGKILL");
    } finally {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // A socket whose peer is gone: nothing left to flush.
        }
      }
    }
  }

  private void watch() {
    Integer code = null;
    RuntimeException failure = null;
    try {
      SyncMessage exit = launch.next();
      code = exit.data();
    } catch (RuntimeException e) {
      // conmon died before reporting (killed, or could not write its exit file): take the file if any.
      failure = new InternalException("exec " + execId + " ended without an exit code: " + e.getMessage(), e);
      try {
        // conmon names the exit file after the container (its -c).
        OptionalInt recorded = ExitWatcher.read(files.exitDir().resolve(containerId));
        if (recorded.isPresent()) {
          code = recorded.getAsInt();
          failure = null;
        }
      } catch (RuntimeException unreadable) {
        failure.addSuppressed(unreadable);
      }
    } finally {
      launch.close();
    }
    if (failure == null) {
      exited.complete(code);
    }
    try {
      removeAfterExit(execId, files, socketLink, monitor);
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      exited.completeExceptionally(failure);
      done.completeExceptionally(failure);
    } else {
      done.complete(code);
    }
  }

  /**
   * Waits for an exec's conmon to exit (killing it if it does not) and removes the session's
   * files. Safe to run twice, and concurrently with the container's delete.
   */
  static void removeAfterExit(String execId, ConmonArgs.ExecFiles files, Path socketLink, Monitor monitor) {
    if (monitor.startTime() >= 0
        && !Processes.awaitExit(monitor.pid(), monitor.startTime(), MONITOR_EXIT_TIMEOUT_MILLIS)) {
      Processes.signalIfSame(monitor.pid(), monitor.startTime(), SIGKILL);
      if (!Processes.awaitExit(monitor.pid(), monitor.startTime(), MONITOR_EXIT_TIMEOUT_MILLIS)) {
        throw new InternalException("conmon " + monitor.pid() + " of exec " + execId + " does not exit");
      }
    }
    try {
      FileTrees.delete(files.root());
      Files.deleteIfExists(socketLink);
    } catch (IOException | UncheckedIOException e) {
      throw new InternalException("cannot remove the files of exec " + execId + ": " + e.getMessage(), e);
    }
  }

  /** Ends output only once the exit code is known (or the session failed). */
  private final class HeldBackChannel implements AttachChannel {
    private final AttachChannel raw;

    HeldBackChannel(AttachChannel raw) {
      this.raw = raw;
    }

    @Override
    public Chunk read() throws IOException {
      Chunk chunk = raw.read();
      if (chunk == null) {
        try {
          exited.handle((code, failure) -> null).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for exec " + execId + " to end");
        } catch (ExecutionException e) {
          throw new IllegalStateException(e);
        }
      }
      return chunk;
    }

    @Override
    public void writeStdin(byte[] data, int offset, int length) throws IOException {
      raw.writeStdin(data, offset, length);
    }

    @Override
    public void closeStdin() throws IOException {
      raw.closeStdin();
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
