package dev.berth.core.volume;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.fs.TreeCopy;
import dev.berth.core.prune.PruneFilter;
import dev.berth.core.prune.PruneReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Volumes of dockerd's local driver: a directory {@code <volumes>/<name>/_data}, or a filesystem
 * mounted there while in use when the volume has options. The row is written after the directory
 * exists and deleted before it goes, so a directory without a row is a crash leftover
 * ({@link #removeLeftovers}) and a row always has its directory.
 *
 * <p>Creating, removing and pruning take one lock, which container creation also holds while it
 * creates the volumes it names and records itself, so a volume is never removed between being
 * chosen for a container and the container referencing it.
 */
public final class VolumeService {

  private static final System.Logger LOG = System.getLogger(VolumeService.class.getName());
  private static final String DATA = "_data";
  private static final String STAGING = "_populate";

  private final VolumeRepository repo;
  private final VolumeUsage usage;
  private final Path dir;
  private final Path trash;
  private final Clock clock;
  private final RandomGenerator random;
  private final ReentrantLock lock = new ReentrantLock();
  private final VolumeMounts mounts = new VolumeMounts();
  private final EventBus events;

  public VolumeService(EnginePaths paths, VolumeRepository repo, VolumeUsage usage, Clock clock,
      RandomGenerator random, EventBus events) {
    this.events = events;
    this.repo = repo;
    this.usage = usage;
    this.dir = paths.volumes();
    this.trash = paths.tmp().resolve("volumes");
    this.clock = clock;
    this.random = random;
  }

  /**
   * Creates a volume, or returns the existing one of that name as dockerd does. An empty name
   * makes an anonymous volume: a random 64-hex name and the anonymous label.
   *
   * @throws InvalidArgumentException for a bad name or bad driver options
   * @throws NotFoundException for a driver other than local, as for a missing plugin
   */
  public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
    boolean anonymous = name == null || name.isEmpty();
    VolumeName n = anonymous ? VolumeName.random(random) : new VolumeName(name);
    if (driver != null && !driver.isEmpty() && !driver.equals(Volume.LOCAL)) {
      throw new NotFoundException("create " + n + ": error looking up volume plugin " + driver + ": plugin \"" + driver
          + "\" not found");
    }
    LocalOptions opts;
    try {
      opts = new LocalOptions(options);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("create " + n + ": " + e.getMessage(), e);
    }
    var allLabels = new java.util.LinkedHashMap<String, String>(labels == null ? Map.of() : labels);
    if (anonymous) {
      allLabels.put(Volume.ANONYMOUS_LABEL, "");
    }
    return locked(() -> {
      Optional<Volume> existing = repo.find(n);
      if (existing.isPresent()) {
        return existing.get();
      }
      Volume v = new Volume(n, Volume.LOCAL, allLabels, opts, clock.instant());
      makeDirectories(n);
      repo.insert(v);
      events.publish(EngineEvent.Type.VOLUME, "create", n.value(), Map.of("driver", Volume.LOCAL));
      LOG.log(System.Logger.Level.INFO, "created volume " + n);
      return v;
    });
  }

  /** @throws NotFoundException {@code get <name>: no such volume}, dockerd's words */
  public Volume get(String name) {
    return find(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
  }

  public Optional<Volume> find(String name) {
    try {
      return repo.find(new VolumeName(name));
    } catch (InvalidArgumentException e) {
      return Optional.empty(); // no volume can have a name that is not one
    }
  }

  /** Volumes matching the filter, by name. */
  public List<Volume> list(VolumeFilter filter) {
    Map<String, List<String>> refs = filter.dangling() == null ? Map.of() : usage.references();
    var names = filter.names().stream().map(VolumeService::regex).toList();
    return repo.list().stream()
        .filter(v -> filter.drivers().isEmpty() || filter.drivers().contains(v.driver()))
        .filter(v -> names.isEmpty() || names.stream().anyMatch(p -> p.matcher(v.name().value()).find()))
        .filter(v -> PruneFilter.matchAll(v.labels(), filter.labels()))
        .filter(v -> filter.dangling() == null || filter.dangling() != refs.containsKey(v.name().value()))
        .toList();
  }

  /** Containers referencing each volume. */
  public Map<String, List<String>> references() {
    return usage.references();
  }

  /**
   * Removes a volume and its data.
   *
   * @param force a missing volume is no error (dockerd's PurgeOnError); a volume in use is still refused
   * @throws ConflictException {@code remove <name>: volume is in use - [<ids>]}
   * @throws NotFoundException if it does not exist and {@code force} is false
   */
  public void remove(String name, boolean force) {
    locked(() -> {
      Optional<Volume> v = find(name);
      if (v.isEmpty()) {
        if (force) {
          return null;
        }
        throw new NotFoundException("get " + name + ": no such volume");
      }
      List<String> refs = usage.references().getOrDefault(name, List.of());
      if (!refs.isEmpty()) {
        throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", refs) + "]");
      }
      delete(v.get());
      return null;
    });
  }

  /**
   * Removes anonymous volumes a removed container left, unless another container still uses them
   * ({@code docker rm -v}); in-use ones are kept silently, as dockerd does.
   */
  public void removeIfUnused(List<VolumeName> names) {
    if (names.isEmpty()) {
      // Finding what uses volumes reads every container: not for a container that had none.
      return;
    }
    locked(() -> {
      Map<String, List<String>> refs = usage.references();
      for (VolumeName n : names) {
        if (!refs.containsKey(n.value())) {
          repo.find(n).ifPresent(this::delete);
        }
      }
      return null;
    });
  }

  /**
   * {@code docker volume prune}: unused local volumes without mount options; only anonymous ones
   * unless {@code all} (API 1.42 on).
   */
  public PruneReport prune(PruneFilter filter, boolean all) {
    return locked(() -> {
      Map<String, List<String>> refs = usage.references();
      var deleted = new ArrayList<String>();
      long reclaimed = 0;
      for (Volume v : repo.list()) {
        if (refs.containsKey(v.name().value()) || !v.options().isEmpty() || (!all && !v.anonymous())
            || !filter.matches(v.labels(), null)) {
          continue;
        }
        long size = FileTrees.size(dataDir(v.name()));
        try {
          delete(v);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "could not prune volume " + v.name() + ": " + e.getMessage());
          continue;
        }
        reclaimed += size;
        deleted.add(v.name().value());
      }
      // As dockerd: one prune event, with no actor, naming what was reclaimed.
      events.publish(EngineEvent.Type.VOLUME, "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
      return new PruneReport(deleted, reclaimed);
    });
  }

  /** Bytes in a volume ({@code system df}); -1 for one with mount options, whose content dockerd does not count. */
  public long size(Volume v) {
    return v.options().isEmpty() ? FileTrees.size(dataDir(v.name())) : -1;
  }

  /** Where containers see the volume's content (bind-mount source). */
  public Path dataDir(VolumeName name) {
    return dir.resolve(name.value()).resolve(DATA);
  }

  /**
   * Runs {@code work} holding the volume lock: container creation holds it while it creates the
   * volumes it mounts and inserts itself, so removal never sees a half-made reference.
   */
  public <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the volume's content available for {@code ref} (a container ID) and returns its data
   * directory: a volume with mount options is mounted by its first user.
   */
  public Path acquire(VolumeName name, String ref) {
    Volume v = repo.find(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
    Path data = dataDir(name);
    if (v.options().needsMount()) {
      ensureDirectories(name);
      mounts.acquire(v.options(), data, ref);
    }
    return data;
  }

  /** Undoes {@link #acquire}; the last user unmounts. Safe to call for volumes never acquired. */
  public void release(VolumeName name, String ref) {
    Optional<Volume> v = repo.find(name);
    if (v.isPresent() && v.get().options().needsMount()) {
      mounts.release(dataDir(name), ref);
    }
  }

  /**
   * dockerd's copy-up: copies {@code source} (a directory of a container's image) into the volume
   * if the volume is empty; the data directory takes the source's owner and mode. A plain volume
   * no running container uses is filled in a staging directory renamed over the empty data
   * directory, so a crash never leaves it half-filled: it is empty or complete.
   */
  public void populate(VolumeName name, Path source, String ref) {
    Volume v = repo.find(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
    Path data = dataDir(name);
    if (v.options().needsMount()) {
      acquire(name, ref);
      try {
        if (FileTrees.isEmptyDirectory(data)) {
          TreeCopy.copy(source, data);
        }
      } finally {
        release(name, ref);
      }
      return;
    }
    synchronized (mounts) {
      if (!FileTrees.isEmptyDirectory(data)) {
        return;
      }
      if (usage.running().containsKey(name.value())) {
        // Mounted in a running container: replacing the directory would hide it from that container.
        TreeCopy.copy(source, data);
        return;
      }
      Path staging = dir.resolve(name.value()).resolve(STAGING);
      FileTrees.delete(staging);
      try {
        Files.createDirectory(staging);
        TreeCopy.copy(source, staging);
        // rename(2) replaces an empty directory atomically.
        Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        FileTrees.delete(staging);
        throw new UncheckedIOException("populating volume " + name, e);
      } catch (RuntimeException e) {
        FileTrees.delete(staging);
        throw e;
      }
    }
  }

  /**
   * Startup repair: directories without a row and interrupted populations are deleted, rows
   * whose directory vanished get an empty one, and volumes left mounted by a previous run are
   * unmounted (running containers acquire theirs again). Call before serving requests.
   */
  public void removeLeftovers() {
    FileTrees.delete(trash);
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String n = child.getFileName().toString();
          Optional<Volume> v = find(n);
          if (v.isEmpty()) {
            discard(child);
          } else {
            FileTrees.delete(child.resolve(STAGING));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Volume v : repo.list()) {
      ensureDirectories(v.name());
    }
  }

  /** Called once running containers have acquired their volumes again after a restart. */
  public void unmountUnused() {
    for (Volume v : repo.list()) {
      if (v.options().needsMount()) {
        mounts.unmountIfUnused(dataDir(v.name()));
      }
    }
  }

  private void delete(Volume v) {
    Path data = dataDir(v.name());
    if (v.options().needsMount()) {
      mounts.forceUnmount(data);
    }
    repo.delete(v.name());
    discard(dir.resolve(v.name().value()));
    events.publish(EngineEvent.Type.VOLUME, "destroy", v.name().value(), Map.of("driver", v.driver()));
    LOG.log(System.Logger.Level.INFO, "removed volume " + v.name());
  }

  /** dockerd's "mount" event: a starting container uses the volume at {@code destination}. */
  public void announceMount(VolumeName n, String containerId, String destination, boolean rw, String propagation) {
    events.publish(EngineEvent.Type.VOLUME, "mount", n.value(), Map.of("driver", Volume.LOCAL, "container",
        containerId, "destination", destination, "read/write", Boolean.toString(rw), "propagation", propagation));
  }

  /** dockerd's "unmount" event: a container that used the volume has stopped. */
  public void announceUnmount(VolumeName n, String containerId) {
    events.publish(EngineEvent.Type.VOLUME, "unmount", n.value(), Map.of("driver", Volume.LOCAL, "container",
        containerId));
  }

  private void makeDirectories(VolumeName n) {
    Path root = dir.resolve(n.value());
    try {
      Files.createDirectories(dir);
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(root);
      }
      // dockerd's modes: the root only traversable, the data readable by the container's users.
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx-----x"));
      Path data = root.resolve(DATA);
      if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new InternalException("error while creating volume path '" + root + "': " + e.getMessage(), e);
    }
  }

  private void ensureDirectories(VolumeName n) {
    if (!Files.isDirectory(dataDir(n), LinkOption.NOFOLLOW_LINKS)) {
      makeDirectories(n);
    }
  }

  /** Renames a volume directory out of sight before deleting it, so no half-deleted volume stays under its name. */
  private void discard(Path volumeDir) {
    if (!Files.exists(volumeDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.createDirectories(trash);
      Path away = Files.createTempDirectory(trash, "volume-");
      Files.move(volumeDir, away.resolve("v"), StandardCopyOption.ATOMIC_MOVE);
      FileTrees.delete(away);
    } catch (IOException e) {
      throw new InternalException("removing " + volumeDir + ": " + e.getMessage(), e);
    }
  }

  private static Pattern regex(String s) {
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      throw new InvalidArgumentException("invalid filter 'name=" + s + "': " + e.getDescription());
    }
  }
}
