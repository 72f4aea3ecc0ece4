package dev.berth.core.container.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.archive.TarWriter;
import dev.berth.core.container.model.Change;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.RootedFiles.Stat;
import dev.berth.core.os.RootedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a container changed, read from its overlay upper directory against the layers beneath
 * (the init layer, then the image's), as dockerd's naive diff reports it: a file the layers have
 * is modified, one they lack is added, an overlay whiteout is a deletion and an opaque directory
 * deletes what the layers had in it; every directory above a change is modified. Unchanged
 * copied-up directories are not changes.
 *
 * <p>The upper directory is the running container's to change while it is read, so it is walked
 * by descriptors ({@link RootedPath}): a directory swapped for a symlink meanwhile is never
 * followed onto the host. The layers beneath are the engine's and never change.
 */
final class UpperDiff {

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final String OPAQUE = "trusted.overlay.opaque";

  private final RootedPath upper;
  private final List<Path> lowers;
  private final Map<String, Change.Kind> changes = new TreeMap<>();

  private UpperDiff(RootedPath upper, List<Path> lowers) {
    this.upper = upper;
    this.lowers = lowers;
  }

  /** @param lowers the layers beneath, topmost first */
  static List<Change> changes(Path upper, List<Path> lowers) {
    if (!Files.isDirectory(upper, NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (RootedPath tree = RootedPath.openNoFollow(upper)) {
      var d = new UpperDiff(tree, lowers);
      d.walk("", tree.root());
      return d.changes.entrySet().stream().map(e -> new Change(e.getKey(), e.getValue())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void walk(String dir, Node node) throws IOException {
    List<String> children = upper.list(node);
    if (!dir.isEmpty() && isOpaque(node)) {
      for (Path lower : lowers) {
        Path l = lower.resolve(dir.substring(1));
        if (Files.isDirectory(l, NOFOLLOW_LINKS)) {
          for (String child : TarWriter.children(l)) {
            String path = dir + "/" + child;
            if (!children.contains(child) && lowerHas(path)) {
              add(path, Change.Kind.DELETED);
            }
          }
        }
      }
    }
    for (String child : children) {
      try (Node c = upper.child(node, child)) {
        if (c == null) {
          continue; // gone meanwhile
        }
        String path = dir + "/" + child;
        Stat st = c.stat();
        if (st.type() == S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
          if (lowerHas(path)) {
            add(path, Change.Kind.DELETED);
          }
          continue;
        }
        Path lower = lowerPath(path);
        if (lower == null) {
          add(path, Change.Kind.ADDED);
        } else if (!st.isDirectory() || !sameDirectory(st, lower)) {
          add(path, Change.Kind.MODIFIED);
        }
        if (st.isDirectory()) {
          walk(path, c);
        }
      }
    }
  }

  /** Records a change; every directory above it is modified, unless it was added itself. */
  private void add(String path, Change.Kind kind) {
    changes.merge(path, kind, (old, k) -> old == Change.Kind.MODIFIED ? k : old);
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      changes.putIfAbsent(path.substring(0, slash), Change.Kind.MODIFIED);
    }
  }

  private boolean lowerHas(String path) {
    return lowerPath(path) != null;
  }

  /** The path in the topmost layer that has it, honouring whiteouts and opaque directories; null if none. */
  private Path lowerPath(String path) {
    String rel = path.substring(1);
    for (Path layer : lowers) {
      Path p = layer.resolve(rel);
      if (Files.exists(p, NOFOLLOW_LINKS)) {
        return isWhiteout(p) ? null : p;
      }
      Path parent = p.getParent();
      if (parent != null && !parent.equals(layer) && Files.isDirectory(parent, NOFOLLOW_LINKS) && isOpaque(parent)) {
        return null;
      }
    }
    return null;
  }

  private static boolean sameDirectory(Stat upper, Path lower) throws IOException {
    if (!Files.isDirectory(lower, NOFOLLOW_LINKS)) {
      return false;
    }
    Map<String, Object> l = Files.readAttributes(lower, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW_LINKS);
    return upper.mode() == (int) l.get("mode") && upper.uid() == (int) l.get("uid") && upper.gid() == (int) l.get("gid")
        && sameTime(upper.mtime(), ((FileTime) l.get("lastModifiedTime")).toInstant());
  }

  /** moby sameFsTime: equal, or the same second where one side has no fraction. */
  private static boolean sameTime(java.time.Instant x, java.time.Instant y) {
    return x.equals(y) || (x.getEpochSecond() == y.getEpochSecond() && (x.getNano() == 0 || y.getNano() == 0));
  }

  private static boolean isWhiteout(Path p) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", NOFOLLOW_LINKS);
      return ((int) a.get("mode") & S_IFMT) == S_IFCHR && (long) a.get("rdev") == 0;
    } catch (IOException e) {
      return false;
    }
  }

  // A layer's own directory: the engine's, which nothing in a container changes.
  private static boolean isOpaque(Path dir) {
    try {
      int fd = RootedFiles.openDirectoryNoFollow(dir);
      try {
        return RootedFiles.getXattr(fd, true, OPAQUE).map(v -> v.length == 1 && v[0] == 'y').orElse(false);
      } finally {
        Fd.close(fd);
      }
    } catch (ErrnoException e) {
      return false;
    }
  }

  private static boolean isOpaque(Node dir) {
    try {
      return RootedFiles.getXattr(dir.fd(), true, OPAQUE).map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    } catch (ErrnoException e) {
      return false;
    }
  }
}
