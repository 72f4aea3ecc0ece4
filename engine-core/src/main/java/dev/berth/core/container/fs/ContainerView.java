package dev.berth.core.container.fs;

import dev.berth.core.archive.ExtractTarget;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.GoPath;
import dev.berth.core.fs.RootedPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A container's filesystem as the container sees it, for copying in and out: a {@link RootedPath}
 * over its root (for a running container {@code /proc/<pid>/root}, where the kernel shows the
 * container's own mounts; for a stopped one the mounted overlay with its volumes, binds and
 * generated files shown at their destinations), and the container's rules for writing there.
 */
final class ContainerView implements ExtractTarget, AutoCloseable {

  /** A container directory and the host directory (or file) behind it. */
  record Mapping(String destination, Path host) {}

  private final RootedPath tree;
  private final List<MountPoint> mounts;
  private final Map<String, String> tmpfs;
  private final boolean readonlyRootfs;

  /**
   * @param mappings must contain {@code /}
   * @param mounts the container's mounts, for writability
   */
  ContainerView(List<Mapping> mappings, List<MountPoint> mounts, Map<String, String> tmpfs, boolean readonlyRootfs) {
    Path root = null;
    var shown = new ArrayList<RootedPath.Mount>();
    for (Mapping m : mappings) {
      String destination = GoPath.clean("/" + m.destination());
      if (destination.equals("/")) {
        root = m.host();
      } else {
        shown.add(new RootedPath.Mount(destination, m.host()));
      }
    }
    if (root == null) {
      throw new IllegalArgumentException("no mapping for /");
    }
    this.tree = RootedPath.open(root, shown);
    this.mounts = mounts;
    this.tmpfs = tmpfs;
    this.readonlyRootfs = readonlyRootfs;
  }

  @Override
  public RootedPath tree() {
    return tree;
  }

  /** moby checkWritablePath: the mount holding the path decides, else whether the root is read-only. */
  @Override
  public void checkWritable(String path) {
    if (inTmpfs(path)) {
      return;
    }
    MountPoint holder = holder(path);
    if (holder != null) {
      if (!holder.rw()) {
        throw new InvalidArgumentException("mounted volume is marked read-only");
      }
      return;
    }
    if (readonlyRootfs) {
      throw new InvalidArgumentException("container rootfs is marked read-only");
    }
  }

  /**
   * A bind mount is a directory of the host: a device node made there from a tar would be the
   * host's, usable by anyone on the host who can reach it. dockerd would make it; berth refuses.
   */
  @Override
  public void checkDevice(String dir) {
    MountPoint holder = holder(dir);
    if (holder != null && holder.type() == MountType.BIND && !inTmpfs(dir)) {
      throw new InvalidArgumentException("cannot create a device node in \"" + dir + "\": it is a bind mount of "
          + holder.source() + " from the host");
    }
  }

  private MountPoint holder(String path) {
    MountPoint holder = null;
    for (MountPoint m : mounts) {
      boolean deeper = holder == null || m.destination().length() > holder.destination().length();
      if (covers(m.destination(), path) && deeper) {
        holder = m;
      }
    }
    return holder;
  }

  /** Whether a --tmpfs mount holds the path, deeper than any other mount. */
  private boolean inTmpfs(String path) {
    String tmpfsHolder = tmpfs.keySet().stream().filter(d -> covers(d, path))
        .max(Comparator.comparingInt(String::length)).orElse(null);
    MountPoint holder = holder(path);
    return tmpfsHolder != null && (holder == null || tmpfsHolder.length() > holder.destination().length());
  }

  /** Whether {@code dir} is {@code path} or one of its ancestors, component-wise. */
  static boolean covers(String dir, String path) {
    return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
  }

  @Override
  public void close() {
    tree.close();
  }
}
