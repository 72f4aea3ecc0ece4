package dev.berth.core.volume;

import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.MountOptions;
import dev.berth.core.os.Mounts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Mounts of volumes with local driver options, counted per user as moby's local driver counts
 * them: mounted by the first user, unmounted by the last. The counts live in memory; after a
 * restart, running containers acquire their volumes again and the rest are unmounted.
 */
final class VolumeMounts {

  private final Map<Path, Set<String>> users = new HashMap<>();

  synchronized void acquire(LocalOptions options, Path data, String ref) {
    Set<String> refs = users.computeIfAbsent(data, k -> new HashSet<>());
    if (!Mounts.isMountPoint(data)) {
      try {
        MountOptions.parse(options.mountOptions()).mount(options.device(), data, options.type());
      } catch (ErrnoException e) {
        if (refs.isEmpty()) {
          users.remove(data);
        }
        throw new dev.berth.core.error.InternalException("failed to mount local volume: " + e.getMessage(), e);
      }
    }
    refs.add(ref);
  }

  synchronized void release(Path data, String ref) {
    Set<String> refs = users.get(data);
    if (refs != null) {
      refs.remove(ref);
    }
    if (refs == null || refs.isEmpty()) {
      users.remove(data);
      unmount(data);
    }
  }

  synchronized void unmountIfUnused(Path data) {
    if (!users.containsKey(data)) {
      unmount(data);
    }
  }

  synchronized void forceUnmount(Path data) {
    users.remove(data);
    unmount(data);
  }

  private static void unmount(Path data) {
    try {
      Mounts.unmount(data, false);
    } catch (ErrnoException e) {
      // Busy: a process still holds it; detach so it goes with the last one.
      Mounts.unmount(data, true);
    }
  }
}
