package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Watches files conmon writes (with inotify) and tells listeners whose container each was: the
 * thread, the listeners and the shutdown that {@link ExitWatcher} and {@link OomWatcher} share.
 * A listener may hear of the same file more than once and must not mind.
 *
 * <p>Runs on one platform thread: the wait is a blocking system call, which must not hold a
 * virtual thread's carrier.
 */
abstract class ContainerFileWatcher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ContainerFileWatcher.class.getName());

  protected final WatchService watch;
  private final String what;
  private final List<Consumer<ContainerId>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;

  /** @param what the kind of file, for the thread's name and for log lines ("exit", "oom") */
  ContainerFileWatcher(String what) {
    this.what = what;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new InternalException("cannot watch " + what + " files: " + e.getMessage(), e);
    }
    this.thread = Thread.ofPlatform().name("berth-" + what + "-watcher").daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void addListener(Consumer<ContainerId> listener) {
    listeners.add(listener);
  }

  /**
   * Handles the events of one key, then resets it.
   *
   * @return false to stop watching altogether
   */
  abstract boolean handle(WatchKey key);

  private void run() {
    try {
      while (true) {
        if (!handle(watch.take())) {
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // close() was called.
    }
  }

  final void notifyListeners(ContainerId id) {
    for (var listener : listeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, what + " listener failed for " + id, e);
      }
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      // Closing an inotify fd does not fail in a way we could act on.
    }
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
