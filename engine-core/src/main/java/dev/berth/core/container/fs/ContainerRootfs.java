package dev.berth.core.container.fs;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.error.InternalException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.image.ImageService;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.MountOptions;
import dev.berth.core.runtime.DockerDefaults;
import dev.berth.core.os.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's filesystem: an overlay of its image's layers under its own upper directory. The
 * overlay is mounted while the container runs; the upper directory lives until it is removed.
 */
public final class ContainerRootfs {

  private final EnginePaths paths;
  private final ImageService images;

  public ContainerRootfs(EnginePaths paths, ImageService images) {
    this.paths = paths;
    this.images = images;
  }

  public Path dir(ContainerId id) {
    return paths.container(id.hex());
  }

  /** conmon's k8s-file spool of the container's output (see {@code logs.LogTarget}), kept until the container is removed. */
  public Path logPath(ContainerId id) {
    return new ContainerDir(dir(id)).log();
  }

  public Path merged(ContainerId id) {
    return new ContainerDir(dir(id)).merged();
  }

  /** Bytes in the container's writable layer (file sizes, as dockerd counts them). */
  public long upperSize(ContainerId id) {
    return FileTrees.size(upper(id));
  }

  /** The overlay's upper directory: everything the container changed. */
  public Path upper(ContainerId id) {
    return new ContainerDir(dir(id)).upper();
  }

  /** The image's layer directories beneath the init layer, topmost first. */
  public List<Path> imageLayers(Container c) {
    return images.layerDirs(c.imageId());
  }

  /**
   * Mounts the overlay (if it is not mounted already) and returns its root. Beneath the upper
   * directory lies the init layer, then the image's layers.
   */
  public Path mount(Container c) {
    Path dir = dir(c.id());
    Path upper = upper(c.id());
    Path work = new ContainerDir(dir).work();
    Path merged = merged(c.id());
    try {
      mountShm(c);
      Files.createDirectories(upper);
      Files.createDirectories(work);
      Files.createDirectories(merged);
      if (Mounts.isMountPoint(merged)) {
        return merged;
      }
      List<Path> layers = images.layerDirs(c.imageId());
      var lowers = new java.util.ArrayList<Path>();
      lowers.add(InitLayer.ensure(dir, layers));
      lowers.addAll(layers);
      Mounts.overlay(lowers, upper, work, merged);
      return merged;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ErrnoException e) {
      throw new InternalException("mounting the root filesystem of " + c.id().shortId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * moby setupIPCDirs: a shareable container without a mount of its own at /dev/shm gets a tmpfs
   * of its shm size on the host side, bound at its /dev/shm and at its joiners'.
   */
  private void mountShm(Container c) throws IOException {
    boolean ownMount = c.mounts().stream().anyMatch(m -> m.destination().equals("/dev/shm"))
        || c.hostConfig().storage().tmpfs().containsKey("/dev/shm");
    Path shm = new ContainerDir(dir(c.id())).shm();
    if (!c.hostConfig().namespaces().shareableIpc() || ownMount || Mounts.isMountPoint(shm)) {
      return;
    }
    Files.createDirectories(shm);
    Mounts.mount("shm", shm, "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV | MountOptions.MS_NOEXEC,
        "mode=1777,size=" + (c.hostConfig().storage().shmSize() > 0 ? c.hostConfig().storage().shmSize()
            : DockerDefaults.SHM_SIZE));
  }

  /** The containers with anything mounted under their directory now, from one read of the mount table. */
  public java.util.Set<ContainerId> mounted() {
    Path root = paths.containers().toAbsolutePath().normalize();
    var ids = new java.util.HashSet<ContainerId>();
    for (Path mount : Mounts.under(root)) {
      if (!mount.equals(root)) {
        String name = root.relativize(mount).getName(0).toString();
        if (ContainerId.isHex64(name)) {
          ids.add(new ContainerId(name));
        }
      }
    }
    return ids;
  }

  boolean isMounted(ContainerId id) {
    return Mounts.isMountPoint(merged(id));
  }

  public void unmount(ContainerId id) {
    Path shm = new ContainerDir(dir(id)).shm();
    Mounts.unmount(shm, true);
    try {
      // Gone with the run, so a stopped container is not shareable (moby getIPCContainer stats it).
      Files.deleteIfExists(shm);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path merged = merged(id);
    try {
      Mounts.unmount(merged, false);
    } catch (ErrnoException e) {
      // Busy (a process still holds it): detach so it goes when the last user does.
      Mounts.unmount(merged, true);
    }
  }

  /**
   * Unmounts and deletes everything the container had on disk. The directory is renamed out of
   * sight first, so a crash never leaves a half-deleted container directory under its name.
   * Idempotent.
   */
  public void destroy(ContainerId id) {
    setAside(id).run();
  }

  /**
   * Unmounts what is mounted in the container's directory and renames it out of sight, so that
   * nothing is left under the container's name; returns the deletion of what was set aside, which
   * may run later (a crash before it leaves it to {@link #removeLeftovers}). Idempotent.
   */
  public Runnable setAside(ContainerId id) {
    return setAside(dir(id));
  }

  /**
   * Deletes container directories no record names: removals a crash interrupted. Call at
   * startup, before any container is created or started.
   */
  public void removeLeftovers(java.util.Set<ContainerId> known) {
    Path root = paths.containers();
    FileTrees.delete(paths.tmp().resolve("containers"));
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var children = Files.newDirectoryStream(root)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (!ContainerId.isHex64(name) || !known.contains(new ContainerId(name))) {
          setAside(child).run();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Runnable setAside(Path dir) {
    for (Path mount : Mounts.under(dir)) {
      Mounts.unmount(mount, true);
    }
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return () -> { };
    }
    try {
      Path trash = Files.createDirectories(paths.tmp().resolve("containers"));
      Path away = Files.createTempDirectory(trash, "container-");
      Files.move(dir, away.resolve("c"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return () -> FileTrees.delete(away);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
