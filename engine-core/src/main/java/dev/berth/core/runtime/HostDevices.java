package dev.berth.core.runtime;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host's device nodes a {@code --device} names, read as moby's {@code DevicesFromPath} reads
 * them: a link is followed, a node is taken as it is, and a directory gives every node under it
 * (its path in the container the same below the mapped directory).
 */
public final class HostDevices {

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private HostDevices() {}

  /**
   * @throws InvalidArgumentException in dockerd's words when the path holds no device
   */
  public static List<DeviceNode> fromPath(String pathOnHost, String pathInContainer) {
    if (pathOnHost.isEmpty()) {
      // lstat("") is ENOENT; Path.of("") would be the engine's working directory.
      throw new InvalidArgumentException("error gathering device information while adding custom device \"\": no "
          + "such file or directory");
    }
    Path resolved = Path.of(pathOnHost);
    try {
      if (Files.isSymbolicLink(resolved)) {
        resolved = resolved.toRealPath();
      }
    } catch (IOException e) {
      // moby keeps the path as given when the link cannot be followed.
    }
    String reason;
    try {
      var node = node(resolved, pathInContainer);
      if (node != null) {
        return List.of(node);
      }
      reason = "not a device node";
      if (Files.isDirectory(resolved)) {
        var nodes = new ArrayList<DeviceNode>();
        String root = resolved.toString();
        Files.walkFileTree(resolved, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            try {
              var child = node(file, file.toString().replaceFirst(java.util.regex.Pattern.quote(root),
                  java.util.regex.Matcher.quoteReplacement(pathInContainer)));
              if (child != null) {
                nodes.add(child);
              }
            } catch (IOException e) {
              // moby skips what it cannot read.
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
        if (!nodes.isEmpty()) {
          return List.copyOf(nodes);
        }
      }
    } catch (NoSuchFileException e) {
      reason = "no such file or directory";
    } catch (IOException e) {
      reason = e.getMessage();
    }
    throw new InvalidArgumentException("error gathering device information while adding custom device \""
        + pathOnHost + "\": " + reason);
  }

  // containerd pkg/oci HostDevices: what a privileged container does not get from the host's /dev.
  private static final java.util.Set<String> SKIPPED_DIRECTORIES =
      java.util.Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

  /**
   * Every device node under the host's /dev, at the same path, as a privileged container gets
   * them (containerd's {@code HostDevices}): not the console, nor what is under pts, shm, fd and
   * mqueue. A node that goes away while it is read is left out.
   */
  public static List<DeviceNode> all() {
    var out = new ArrayList<DeviceNode>();
    collect(Path.of("/dev"), out);
    return List.copyOf(out);
  }

  private static void collect(Path dir, List<DeviceNode> out) {
    List<Path> entries;
    try (var stream = Files.list(dir)) {
      entries = stream.sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading the host's devices in " + dir, e);
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        if (!SKIPPED_DIRECTORIES.contains(name)) {
          collect(entry, out);
        }
      } else if (!name.equals("console")) {
        try {
          var node = node(entry, entry.toString());
          if (node != null) {
            out.add(node);
          }
        } catch (NoSuchFileException e) {
          // Gone since the directory was read.
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("reading the host's device " + entry, e);
        }
      }
    }
  }

  /** The node at {@code path}, null when it is not a character or block device. */
  private static DeviceNode node(Path path, String pathInContainer) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String type = switch (mode & S_IFMT) {
      case S_IFCHR -> "c";
      case S_IFBLK -> "b";
      default -> null;
    };
    if (type == null) {
      return null;
    }
    long rdev = (Long) a.get("rdev");
    return new DeviceNode(pathInContainer, type, major(rdev), minor(rdev), mode & 07777, (Integer) a.get("uid"),
        (Integer) a.get("gid"));
  }

  // glibc's gnu_dev_major/gnu_dev_minor.
  static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
  }

  static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
  }
}
