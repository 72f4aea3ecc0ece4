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
import java.util.List;
import java.util.Map;

/**
 * Starts conmon the way Podman does: sync pipe on fd 3, start pipe on fd 4. conmon blocks on the
 * start pipe before it forks anything, which gives us the moment to move it into the engine's
 * monitor cgroup (out of whatever cgroup the engine itself runs in); its daemon and the runtime it
 * runs inherit that cgroup. The first conmon process exits once it has daemonised and is reaped
 * here; the daemon's parent is then init, not the JVM.
 */
final class ConmonLauncher {

  static final int SYNC_FD = 3;
  static final int START_FD = 4;
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

    private Session(InputStream sync, InputStream stderr) {
      this.sync = sync;
      this.stderr = stderr;
    }

    /** Blocks for conmon's next message; a monitor that ends without one is a machinery failure. */
    SyncMessage next() {
      return read(sync, "sync");
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
      closeQuietly(sync);
      closeQuietly(stderr);
    }
  }

  /** Starts conmon for a container, in {@code workDir} (its bundle). */
  Session launch(List<String> args, Path workDir) {
    var pipes = new ArrayList<Fd.Pipe>();
    Fd.Pipe sync;
    Fd.Pipe start;
    Fd.Pipe stderr;
    int first;
    try {
      sync = open(pipes);
      start = open(pipes);
      stderr = open(pipes);
      var env = List.of(PATH, "_OCI_SYNCPIPE=" + SYNC_FD, "_OCI_STARTPIPE=" + START_FD);
      var fds = Map.of(2, stderr.writeFd(), SYNC_FD, sync.writeFd(), START_FD, start.readFd());
      var argv = new ArrayList<String>();
      argv.add(conmon.toString());
      argv.addAll(args);
      // conmon prints its own early failures (bad arguments, unwritable pid file) on stderr.
      // In its working directory conmon creates a file named oom on each OOM kill (beside the one in
      // its persist dir): the bundle, not berthd's own directory.
      first = Processes.spawn(conmon, argv, env, fds, workDir);
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
    InputStream syncIn = null;
    InputStream stderrIn = null;
    try {
      try {
        cgroups.addProcess(monitorCgroup, first);
      } catch (RuntimeException e) {
        Processes.kill(first, SIGKILL);
        Processes.waitFor(first);
        throw e;
      }
      Fd.write(startWrite, new byte[] {0});
      Fd.close(startWrite);
      startWrite = -1;
      int status = Processes.waitFor(first);
      int fd = syncRead;
      syncRead = -1;
      syncIn = open(fd);
      fd = stderrRead;
      stderrRead = -1;
      stderrIn = open(fd);
      if (status != 0) {
        String early = new String(stderrIn.readAllBytes(), StandardCharsets.UTF_8).strip();
        throw new InternalException("conmon failed (exit status " + status + ")" + (early.isEmpty() ? "" : ": " + early));
      }
      return new Session(syncIn, stderrIn);
    } catch (IOException | ErrnoException e) {
      closeQuietly(syncIn);
      closeQuietly(stderrIn);
      throw new InternalException("cannot start conmon: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(syncIn);
      closeQuietly(stderrIn);
      throw e;
    } finally {
      Fd.close(startWrite);
      Fd.close(syncRead);
      Fd.close(stderrRead);
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
