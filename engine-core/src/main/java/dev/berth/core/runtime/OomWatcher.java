package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Watches conmon's persist directories for the {@code oom} file conmon creates when the
 * container's memory cgroup reports an OOM kill (v1 eventfd on {@code memory.oom_control}, v2
 * {@code memory.events}), and tells listeners whose it was, while the container runs: dockerd
 * reports such a kill (OOMKilled, the {@code oom} event) as it happens, also when the container
 * goes on running. A listener may hear of the same kill more than once and must not mind.
 *
 * <p>Runs on one platform thread: the wait is a blocking system call.
 */
final class OomWatcher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(OomWatcher.class.getName());

  private final Path root;
  private final String fileName;
  private final WatchService watch;
  private final Map<WatchKey, ContainerId> keys = new ConcurrentHashMap<>();
  private final List<Consumer<ContainerId>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;

  /** @param root the persist root, with a directory per container id */
  OomWatcher(Path root, String fileName) {
    this.root = root;
    this.fileName = fileName;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new InternalException("cannot watch " + root + ": " + e.getMessage(), e);
    }
    this.thread = Thread.ofPlatform().name("berth-oom-watcher").daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void addListener(Consumer<ContainerId> listener) {
    listeners.add(listener);
  }

  /**
   * Watches {@code id}'s persist directory (again, after it was made anew); a kill recorded
   * before is reported at once. Nothing happens if the directory does not exist.
   */
  void watch(ContainerId id) {
    Path dir = root.resolve(id.hex());
    try {
      keys.put(dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE), id);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException | ClosedWatchServiceException e) {
      LOG.log(Level.WARNING, "cannot watch " + dir + " for OOM kills: " + e.getMessage());
      return;
    }
    if (Files.exists(dir.resolve(fileName))) {
      notifyListeners(id);
    }
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = watch.take();
        ContainerId id = keys.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
          boolean lost = event.kind() == StandardWatchEventKinds.OVERFLOW;
          if (id != null && (lost || event.context() instanceof Path name && name.toString().equals(fileName))
              && Files.exists(root.resolve(id.hex()).resolve(fileName))) {
            notifyListeners(id);
          }
        }
        if (!key.reset()) {
          // The directory is gone: the container was deleted (a new run watches its new one).
          keys.remove(key);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // close() was called.
    }
  }

  private void notifyListeners(ContainerId id) {
    for (var listener : listeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "OOM listener failed for " + id, e);
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
