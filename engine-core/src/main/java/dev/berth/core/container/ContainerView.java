package dev.berth.core.container;

import dev.berth.core.archive.ExtractTarget;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A container's filesystem as the container sees it, for copying in and out: container paths are
 * resolved component by component, symlinks followed relative to the container's root (never the
 * host's), and each resolved path is mapped to the host directory that holds it (the root
 * filesystem, a volume, a bind source). A symlink to {@code /} or {@code ../../..} in the container
 * therefore stays in the container.
 *
 * <p>For a running container the root is {@code /proc/<pid>/root}, where the kernel shows the
 * container's own mounts; for a stopped one it is the mounted overlay plus the mount table.
 */
final class ContainerView implements ExtractTarget {

  private static final int MAX_LINKS = 255;

  /** A container directory and the host directory behind it. */
  record Mapping(String destination, Path host) {}

  private final List<Mapping> mappings;
  private final List<MountPoint> mounts;
  private final java.util.Map<String, String> tmpfs;
  private final boolean readonlyRootfs;

  /**
   * @param mappings must contain {@code /}
   * @param mounts the container's mounts, for writability
   */
  ContainerView(List<Mapping> mappings, List<MountPoint> mounts, java.util.Map<String, String> tmpfs,
      boolean readonlyRootfs) {
    this.mappings = mappings.stream()
        .sorted(Comparator.comparingInt((Mapping m) -> m.destination().length()).reversed()).toList();
    this.mounts = mounts;
    this.tmpfs = tmpfs;
    this.readonlyRootfs = readonlyRootfs;
  }

  @Override
  public Path host(String path) {
    for (Mapping m : mappings) {
      if (covers(m.destination(), path)) {
        String rest = path.length() == m.destination().length() ? "" : path.substring(
            m.destination().equals("/") ? 1 : m.destination().length() + 1);
        return rest.isEmpty() ? m.host() : m.host().resolve(rest);
      }
    }
    throw new IllegalStateException("no mapping for " + path);
  }

  @Override
  public String resolve(String path, boolean followLast) {
    Deque<String> pending = new ArrayDeque<>();
    push(pending, path);
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        resolved.pollLast();
        continue;
      }
      String candidate = join(resolved, part);
      Path host = host(candidate);
      boolean last = pending.stream().allMatch(p -> p.isEmpty() || p.equals("."));
      if ((followLast || !last) && Files.isSymbolicLink(host)) {
        if (++links > MAX_LINKS) {
          throw new InvalidArgumentException("too many levels of symbolic links: " + path);
        }
        String target;
        try {
          target = Files.readSymbolicLink(host).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        push(pending, target);
        continue;
      }
      resolved.addLast(part);
    }
    return resolved.isEmpty() ? "/" : "/" + String.join("/", resolved);
  }

  /** moby checkWritablePath: the mount holding the path decides, else whether the root is read-only. */
  @Override
  public void checkWritable(String path) {
    MountPoint holder = null;
    for (MountPoint m : mounts) {
      boolean deeper = holder == null || m.destination().length() > holder.destination().length();
      if (covers(m.destination(), path) && deeper) {
        holder = m;
      }
    }
    String tmpfsHolder = tmpfs.keySet().stream().filter(d -> covers(d, path))
        .max(Comparator.comparingInt(String::length)).orElse(null);
    if (tmpfsHolder != null && (holder == null || tmpfsHolder.length() > holder.destination().length())) {
      return;
    }
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

  /** Whether {@code dir} is {@code path} or one of its ancestors, component-wise. */
  static boolean covers(String dir, String path) {
    return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
  }

  private static void push(Deque<String> pending, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      pending.push(parts[i]);
    }
  }

  private static String join(Deque<String> parts, String next) {
    var sb = new StringBuilder();
    for (String s : parts) {
      sb.append('/').append(s);
    }
    return sb.append('/').append(next).toString();
  }
}
