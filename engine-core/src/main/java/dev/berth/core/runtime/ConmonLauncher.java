package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.Processes;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts conmon the way Podman does: sync pipe on fd 3, start pipe on fd 4. conmon blocks on the
 * start pipe before it forks anything, which gives us the moment to move it into the engine's
 * monitor cgroup (out of whatever cgroup the engine itself runs in); its daemon and the runtime it
 * runs inherit that cgroup. The first conmon process exits once it has daemonised and is reaped
 * here; the daemon's parent is then init, not the JVM.
 *
 * <p>An exec with {@code --exec-attach} adds the attach pipe on fd 5 and keeps the start pipe
 * open: conmon reports on the attach pipe once its attach socket listens, and its child waits for
 * a second write to the start pipe before it runs the runtime, so a client can connect first.
 */
final class ConmonLauncher {

  static final int SYNC_FD = 3;
  static final int START_FD = 4;
  static final int ATTACH_FD = 5;
  private static final int SIGKILL = 9;
  private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path conmon;
  private final CgroupTree cgroups;
  private final String monitorCgroup;

  ConmonLauncher(Path conmon, CgroupTree cgroups, String monitorCgroup) {
    this.conmon = conmon;
    this.cgroups = cgroups;
    this.monitorCgroup = monitorCgroup;
  }

  /** A started conmon: the messages it will write on its sync pipe. */
  static final class Session implements Closeable {
    private final InputStream sync;
    private final InputStream stderr;
    private final InputStream attach;
    private int startWrite;

    private Session(InputStream sync, InputStream stderr, InputStream attach, int startWrite) {
      this.sync = sync;
      this.stderr = stderr;
      this.attach = attach;
      this.startWrite = startWrite;
    }

    /** Blocks for conmon's next message; a monitor that ends without one is a machinery failure. */
    SyncMessage next() {
      return read(sync, "sync");
    }

    /** Blocks until conmon's attach socket listens (exec with attach only). */
    void awaitAttachSocket() {
      if (attach == null) {
        throw new IllegalStateException("not an attached exec");
      }
      SyncMessage ready = read(attach, "attach");
      if (ready.failed()) {
        throw new InternalException("conmon could not set up the attach socket: " + ready.message());
      }
    }

    /** Lets an attached exec's runtime run (exec with attach only). */
    void release() {
      if (startWrite < 0) {
        throw new IllegalStateException("already released");
      }
      try {
        Fd.write(startWrite, new byte[] {0});
      } catch (ErrnoException e) {
        throw new InternalException("cannot start the exec: " + e.getMessage(), e);
      } finally {
        Fd.close(startWrite);
        startWrite = -1;
      }
    }

    private SyncMessage read(InputStream pipe, String name) {
      try {
        String line = readLine(pipe);
        if (line == null) {
          // The daemon has exited (the pipe is closed), so its stderr is at end of file too.
          String early = new String(stderr.readAllBytes(), StandardCharsets.UTF_8).strip();
          throw new InternalException("conmon exited without reporting" + (early.isEmpty() ? "" : ": " + early));
        }
        return SyncMessage.parse(line);
      } catch (IOException e) {
        throw new InternalException("cannot read conmon's " + name + " pipe: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      Fd.close(startWrite);
      startWrite = -1;
      closeQuietly(sync);
      closeQuietly(stderr);
      closeQuietly(attach);
    }
  }

  /** Starts conmon for a container or a detached exec. */
  Session launch(List<String> args) {
    return launch(args, false);
  }

  /**
   * Starts conmon; with {@code execAttach} (conmon's {@code --exec-attach}) the runtime waits for
   * {@link Session#release()}.
   */
  Session launch(List<String> args, boolean execAttach) {
    var pipes = new ArrayList<Fd.Pipe>();
    Fd.Pipe sync;
    Fd.Pipe start;
    Fd.Pipe stderr;
    Fd.Pipe attach = null;
    int first;
    try {
      sync = open(pipes);
      start = open(pipes);
      stderr = open(pipes);
      var env = new ArrayList<>(List.of(PATH, "_OCI_SYNCPIPE=" + SYNC_FD, "_OCI_STARTPIPE=" + START_FD));
      var fds = new HashMap<>(Map.of(2, stderr.writeFd(), SYNC_FD, sync.writeFd(), START_FD, start.readFd()));
      if (execAttach) {
        attach = open(pipes);
        env.add("_OCI_ATTACHPIPE=" + ATTACH_FD);
        fds.put(ATTACH_FD, attach.writeFd());
      }
      var argv = new ArrayList<String>();
      argv.add(conmon.toString());
      argv.addAll(args);
      // conmon prints its own early failures (bad arguments, unwritable pid file) on stderr.
      first = Processes.spawn(conmon, argv, env, fds);
    } catch (RuntimeException e) {
      pipes.forEach(Fd.Pipe::close);
      throw new InternalException("cannot start conmon: " + e.getMessage(), e);
    }
    // The child has its ends; ours are the read ends and the start pipe's write end.
    Fd.close(sync.writeFd());
    Fd.close(start.readFd());
    Fd.close(stderr.writeFd());
    int syncRead = sync.readFd();
    int startWrite = start.writeFd();
    int stderrRead = stderr.readFd();
    int attachRead = -1;
    if (attach != null) {
      Fd.close(attach.writeFd());
      attachRead = attach.readFd();
    }
    InputStream syncIn = null;
    InputStream stderrIn = null;
    InputStream attachIn = null;
    try {
      try {
        cgroups.addProcess(monitorCgroup, first);
      } catch (RuntimeException e) {
        Processes.kill(first, SIGKILL);
        Processes.waitFor(first);
        throw e;
      }
      Fd.write(startWrite, new byte[] {0});
      if (!execAttach) {
        Fd.close(startWrite);
        startWrite = -1;
      }
      int status = Processes.waitFor(first);
      int fd = syncRead;
      syncRead = -1;
      syncIn = open(fd);
      fd = stderrRead;
      stderrRead = -1;
      stderrIn = open(fd);
      if (attachRead >= 0) {
        fd = attachRead;
        attachRead = -1;
        attachIn = open(fd);
      }
      if (status != 0) {
        String early = new String(stderrIn.readAllBytes(), StandardCharsets.UTF_8).strip();
        throw new InternalException("conmon failed (exit status " + status + ")" + (early.isEmpty() ? "" : ": " + early));
      }
      var session = new Session(syncIn, stderrIn, attachIn, startWrite);
      startWrite = -1;
      return session;
    } catch (IOException | ErrnoException e) {
      closeQuietly(syncIn);
      closeQuietly(stderrIn);
      closeQuietly(attachIn);
      throw new InternalException("cannot start conmon: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(syncIn);
      closeQuietly(stderrIn);
      closeQuietly(attachIn);
      throw e;
    } finally {
      Fd.close(startWrite);
      Fd.close(syncRead);
      Fd.close(stderrRead);
      Fd.close(attachRead);
    }
  }

  private static Fd.Pipe open(List<Fd.Pipe> opened) {
    Fd.Pipe pipe = Fd.Pipe.open();
    opened.add(pipe);
    return pipe;
  }

  /**
   * A Java stream over a pipe fd, by reopening it through /proc: JDK file reads let a virtual
   * thread's carrier be replaced while they block, which a raw read(2) downcall would not.
   */
  private static InputStream open(int fd) throws IOException {
    try {
      return new FileInputStream("/proc/self/fd/" + fd);
    } finally {
      Fd.close(fd);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      // A pipe read end: nothing to flush, nothing to lose.
    }
  }
}
