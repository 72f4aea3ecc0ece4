package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches conmon's persist directories for the {@code oom} file conmon creates when the
 * container's memory cgroup reports an OOM kill (v1 eventfd on {@code memory.oom_control}, v2
 * {@code memory.events}), and tells listeners whose it was, while the container runs: dockerd
 * reports such a kill (OOMKilled, the {@code oom} event) as it happens, also when the container
 * goes on running. A listener may hear of the same kill more than once and must not mind.
 */
final class OomWatcher extends ContainerFileWatcher {

  private static final System.Logger LOG = System.getLogger(OomWatcher.class.getName());

  private final Path root;
  private final String fileName;
  private final Map<WatchKey, ContainerId> keys = new ConcurrentHashMap<>();

  /** @param root the persist root, with a directory per container id */
  OomWatcher(Path root, String fileName) {
    super("oom");
    this.root = root;
    this.fileName = fileName;
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

  @Override
  boolean handle(WatchKey key) {
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
    return true;
  }
}
