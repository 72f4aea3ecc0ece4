package dev.berth.core.runtime;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.logs.StdStream;
import dev.berth.core.os.ContainerSpawn;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.Processes;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * An exec whose process is the engine's own child (see {@link NamespaceExec}). One platform
 * thread per session moves its output to the channel, sees it exit through a pidfd, reaps it and
 * only then ends the output; nothing else stays behind, so once the process has ended the session
 * holds no process, thread or file.
 */
final class NamespaceExecSession implements ExecSession {

  private static final int SIGKILL = 9;
  private static final int READ_SIZE = 32 * 1024;
  // Output still arriving after the exit comes from the process's own children; stop waiting for it.
  private static final long DRAIN_AFTER_EXIT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

  private final String execId;
  private final int pid;
  private final int pidfd;
  private final int terminalFd;
  // stdout and stderr, or the terminal alone; none when nobody is attached.
  private final int[] outputs;
  private final Channel channel;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  // Guarded by this: once the process is reaped its pid may belong to another process.
  private boolean reaped;

  private NamespaceExecSession(String execId, int pid, int pidfd, int terminalFd, int[] outputs, Channel channel) {
    this.execId = execId;
    this.pid = pid;
    this.pidfd = pidfd;
    this.terminalFd = terminalFd;
    this.outputs = outputs;
    this.channel = channel;
  }

  /**
   * Takes over a released child and the engine's ends of its stdio: the terminal (-1 for none),
   * {@code stdin} (-1 for none; with a TTY a duplicate of the terminal's fd) and {@code outputs}
   * (the terminal alone with a TTY); a channel hands them out when {@code attached}.
   */
  static NamespaceExecSession started(String execId, int pid, int terminalFd, int stdin, int[] outputs,
      boolean attached) throws IOException {
    int pidfd = Processes.pidfd(pid);
    Channel channel = attached ? new Channel(stdin, terminalFd >= 0) : null;
    if (!attached) {
      Fd.close(stdin);
    }
    var session = new NamespaceExecSession(execId, pid, pidfd, terminalFd, outputs, channel);
    Thread.ofPlatform().name("exec-" + execId.substring(0, 12)).daemon().start(session::pump);
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
    if (height < 0 || width < 0 || height > 0xffff || width > 0xffff) {
      throw new InvalidArgumentException("invalid TTY size " + height + "x" + width);
    }
    if (exited.isDone()) {
      throw new ConflictException("exec " + execId + " is not running");
    }
    if (terminalFd >= 0) {
      try {
        ContainerSpawn.resize(terminalFd, height, width);
      } catch (ErrnoException e) {
        throw new ConflictException("exec " + execId + " is not running");
      }
    }
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
      return exited.get();
    } catch (ExecutionException e) {
      throw new InternalException("exec " + execId + " ended without an exit code: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  @Override
  public void close() {
    kill();
    try {
      exited.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // awaitExit reports it; closing still closes.
    } catch (TimeoutException e) {
      throw new InternalException("exec " + execId + " did not end within " + CLOSE_TIMEOUT_MILLIS + " ms of SIGKILL");
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
  }

  private void pump() {
    int[] open = outputs.clone();
    int[] polled = Arrays.copyOf(open, open.length + 1);
    try {
      long drainDeadline = 0;
      boolean gone = false;
      while (true) {
        System.arraycopy(open, 0, polled, 0, open.length);
        polled[open.length] = gone ? -1 : pidfd;
        boolean anyOpen = Arrays.stream(open).anyMatch(fd -> fd >= 0);
        if (gone && (!anyOpen || System.nanoTime() > drainDeadline)) {
          break;
        }
        boolean[] ready = Fd.pollIn(polled, gone ? 0 : -1);
        boolean read = false;
        for (int i = 0; i < open.length; i++) {
          if (ready[i]) {
            byte[] data = readOutput(open[i]);
            if (data == null) {
              closeOutput(open, i);
            } else {
              read = true;
              if (channel != null) {
                channel.deliver(new AttachChannel.Chunk(i == 1 ? StdStream.STDERR : StdStream.STDOUT, data));
              }
            }
          }
        }
        if (!gone && ready[open.length]) {
          gone = true;
          drainDeadline = System.nanoTime() + DRAIN_AFTER_EXIT_NANOS;
        } else if (gone && !read) {
          break;
        }
      }
      exited.complete(reap());
    } catch (RuntimeException | InterruptedException e) {
      try {
        kill();
        synchronized (this) {
          if (!reaped) {
            reap();
          }
        }
      } catch (RuntimeException unreaped) {
        e.addSuppressed(unreaped);
      }
      exited.completeExceptionally(e);
    } finally {
      for (int i = 0; i < open.length; i++) {
        closeOutput(open, i);
      }
      Fd.close(pidfd);
      Fd.close(terminalFd);
      if (channel != null) {
        channel.end();
      }
    }
  }

  private synchronized void kill() {
    if (!reaped) {
      Processes.kill(pid, SIGKILL);
    }
  }

  private synchronized int reap() {
    int code = Processes.waitFor(pid);
    reaped = true;
    return code;
  }

  // A terminal whose last slave is closed reads EIO rather than end of file.
  private static byte[] readOutput(int fd) {
    try {
      return Fd.read(fd, READ_SIZE);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.EIO) {
        return null;
      }
      throw e;
    }
  }

  // The terminal's fd is closed last of all (resize uses it).
  private void closeOutput(int[] open, int i) {
    if (open[i] >= 0 && open[i] != terminalFd) {
      Fd.close(open[i]);
    }
    open[i] = -1;
  }

  /** Output through an {@link OutputQueue}; stdin through a FileOutputStream, whose blocking writes the JDK lets virtual threads make. */
  private static final class Channel implements AttachChannel {
    private final OutputQueue output = new OutputQueue();
    private final FileOutputStream stdin;
    private final boolean terminal;

    Channel(int stdinFd, boolean terminal) throws IOException {
      this.stdin = stdinFd < 0 ? null : FileDescriptorCast.unsafeUsing(stdinFd).as(FileOutputStream.class);
      this.terminal = terminal;
    }

    void deliver(Chunk chunk) throws InterruptedException {
      output.deliver(chunk);
    }

    // After the exit code is known.
    void end() {
      output.end();
    }

    @Override
    public Chunk read() throws IOException {
      return output.read();
    }

    @Override
    public void writeStdin(byte[] data, int offset, int length) throws IOException {
      if (stdin == null) {
        return;
      }
      stdin.write(data, offset, length);
    }

    /** Ends the process's stdin (exec stdin is always stdin-once); a terminal has no end of input. */
    @Override
    public void closeStdin() {
      if (!terminal) {
        closeQuietly();
      }
    }

    @Override
    public void close() {
      output.close();
      closeQuietly();
    }

    private void closeQuietly() {
      if (stdin == null) {
        return;
      }
      try {
        stdin.close();
      } catch (IOException e) {
        // A pipe whose reader is gone: nothing to flush.
      }
    }
  }
}
