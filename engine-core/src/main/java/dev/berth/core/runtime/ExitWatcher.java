package dev.berth.core.runtime;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Watches conmon's exit directory with inotify and tells listeners which container's exit was
 * recorded. conmon writes each exit file to a temporary name and renames it into place, so a file
 * under a container's id is complete when it appears; an empty one (written in place by some
 * other monitor version) is reported once it has content. A listener may hear of the same exit
 * more than once and must not mind.
 */
final class ExitWatcher extends ContainerFileWatcher {

  private static final System.Logger LOG = System.getLogger(ExitWatcher.class.getName());

  private final Path dir;

  ExitWatcher(Path dir) {
    super("exit");
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException e) {
      close();
      throw new InternalException("cannot watch " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Exit code recorded for {@code id}; empty while there is none or it is not written yet. */
  static OptionalInt read(Path file) {
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      throw new InternalException("cannot read exit file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Containers whose exit is recorded now (for reconciling at engine start). */
  static List<ContainerId> recorded(Path dir) {
    var ids = new ArrayList<ContainerId>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (ContainerId.isHex64(name) && read(file).isPresent()) {
          ids.add(new ContainerId(name));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new InternalException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return ids;
  }

  @Override
  boolean handle(WatchKey key) {
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
        // Events were lost: every recorded exit may be new to the listeners.
        recorded(dir).forEach(this::notifyListeners);
      } else if (event.context() instanceof Path name && ContainerId.isHex64(name.toString())) {
        try {
          if (read(dir.resolve(name)).isPresent()) {
            notifyListeners(new ContainerId(name.toString()));
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "unreadable exit file " + name, e);
        }
      }
    }
    if (!key.reset()) {
      LOG.log(Level.ERROR, "exit directory {0} is gone; container exits are no longer noticed", dir);
      return false;
    }
    return true;
  }
}
