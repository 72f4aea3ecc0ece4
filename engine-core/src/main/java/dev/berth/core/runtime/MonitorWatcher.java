package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.Processes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells listeners when a container's monitor ends. conmon writes the container's exit code to its
 * exit file and then ends, and {@link ExitWatcher} hears of the file; a conmon killed before it
 * wrote the file (by an administrator, the OOM killer, a kill during its rename) leaves none, and
 * only its end says that the run is over: the engine then finds no exit code and the monitor gone,
 * and records the container dead (as dockerd does when a shim dies). One platform thread waits in
 * poll(2) on a pidfd per monitor and on a pipe that wakes it when the set changes. The thread and
 * its pipe are made for the first monitor watched: a start with nothing running links neither
 * pipe2 nor poll (issue 15).
 */
final class MonitorWatcher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(MonitorWatcher.class.getName());

  private final List<Consumer<ContainerId>> listeners = new CopyOnWriteArrayList<>();
  // Guarded by this: the pidfd of each watched monitor, and whose it is; the thread and its wake pipe once made.
  private final Map<Integer, ContainerId> watched = new HashMap<>();
  private boolean closed;
  private Fd.Pipe wake;
  private Thread thread;

  void addListener(Consumer<ContainerId> listener) {
    listeners.add(listener);
  }

  /**
   * Watches {@code monitor}, the conmon of {@code id}. A monitor that has already ended (or whose
   * pid now names another process) is reported at once.
   */
  void watch(ContainerId id, MonitorProcess monitor) {
    int pidfd;
    try {
      pidfd = Processes.pidfd(monitor.monitorPid());
    } catch (ErrnoException e) {
      notifyListeners(id);
      return;
    }
    // The pidfd is of whatever process has the pid now: it is the monitor only if it started when the monitor did.
    OptionalLong started = Processes.startTime(monitor.monitorPid());
    if (started.isEmpty() || started.getAsLong() != monitor.monitorStartTime()) {
      Fd.close(pidfd);
      notifyListeners(id);
      return;
    }
    Fd.Pipe woken;
    synchronized (this) {
      if (closed) {
        Fd.close(pidfd);
        return;
      }
      watched.put(pidfd, id);
      if (thread == null) {
        wake = Fd.Pipe.open();
        thread = Thread.ofPlatform().name("monitor-watcher").daemon().start(() -> run(wake));
      }
      woken = wake;
    }
    Fd.write(woken.writeFd(), new byte[] {1});
  }

  private void run(Fd.Pipe wake) {
    while (true) {
      int[] fds;
      synchronized (this) {
        if (closed) {
          return;
        }
        fds = new int[watched.size() + 1];
        fds[0] = wake.readFd();
        int i = 1;
        for (int fd : watched.keySet()) {
          fds[i++] = fd;
        }
      }
      boolean[] ready;
      try {
        ready = Fd.pollIn(fds, -1);
      } catch (ErrnoException e) {
        LOG.log(System.Logger.Level.ERROR, "watching container monitors: " + e.getMessage(), e);
        return;
      }
      if (ready[0]) {
        Fd.read(wake.readFd(), 4096);
      }
      var ended = new ArrayList<ContainerId>();
      synchronized (this) {
        for (int i = 1; i < fds.length; i++) {
          // One closed meanwhile (by close) is no longer ours to close, or to report.
          ContainerId id = ready[i] ? watched.remove(fds[i]) : null;
          if (id != null) {
            Fd.close(fds[i]);
            ended.add(id);
          }
        }
      }
      ended.forEach(this::notifyListeners);
    }
  }

  private void notifyListeners(ContainerId id) {
    for (Consumer<ContainerId> l : listeners) {
      try {
        l.accept(id);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "handling the end of the monitor of " + id.shortId() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** Stops watching; the monitors run on. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      watched.keySet().forEach(Fd::close);
      watched.clear();
      if (thread == null) {
        return;
      }
    }
    Fd.write(wake.writeFd(), new byte[] {1});
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wake.close();
  }
}
