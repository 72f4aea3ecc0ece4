package dev.berth.core.container;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.archive.TarWriter;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.FileNodes;
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
 */
final class UpperDiff {

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  private final Path upper;
  private final List<Path> lowers;
  private final Map<String, Change.Kind> changes = new TreeMap<>();

  private UpperDiff(Path upper, List<Path> lowers) {
    this.upper = upper;
    this.lowers = lowers;
  }

  /** @param lowers the layers beneath, topmost first */
  static List<Change> changes(Path upper, List<Path> lowers) {
    var d = new UpperDiff(upper, lowers);
    try {
      if (Files.isDirectory(upper, NOFOLLOW_LINKS)) {
        d.walk("", upper);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d.changes.entrySet().stream().map(e -> new Change(e.getKey(), e.getValue())).toList();
  }

  private void walk(String dir, Path hostDir) throws IOException {
    if (!dir.isEmpty() && isOpaque(hostDir)) {
      for (Path lower : lowers) {
        Path l = lower.resolve(dir.substring(1));
        if (Files.isDirectory(l, NOFOLLOW_LINKS)) {
          for (String child : TarWriter.children(l)) {
            String path = dir + "/" + child;
            if (!Files.exists(hostDir.resolve(child), NOFOLLOW_LINKS) && lowerHas(path)) {
              add(path, Change.Kind.DELETED);
            }
          }
        }
      }
    }
    for (String child : TarWriter.children(hostDir)) {
      String path = dir + "/" + child;
      Path host = hostDir.resolve(child);
      Map<String, Object> a = Files.readAttributes(host, "unix:mode,rdev,uid,gid,lastModifiedTime", NOFOLLOW_LINKS);
      int mode = (int) a.get("mode");
      if ((mode & S_IFMT) == S_IFCHR && (long) a.get("rdev") == 0) {
        if (lowerHas(path)) {
          add(path, Change.Kind.DELETED);
        }
        continue;
      }
      boolean dirEntry = Files.isDirectory(host, NOFOLLOW_LINKS);
      Path lower = lowerPath(path);
      if (lower == null) {
        add(path, Change.Kind.ADDED);
      } else if (!dirEntry || !sameDirectory(a, lower)) {
        add(path, Change.Kind.MODIFIED);
      }
      if (dirEntry) {
        walk(path, host);
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

  private static boolean sameDirectory(Map<String, Object> upper, Path lower) throws IOException {
    if (!Files.isDirectory(lower, NOFOLLOW_LINKS)) {
      return false;
    }
    Map<String, Object> l = Files.readAttributes(lower, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW_LINKS);
    return upper.get("mode").equals(l.get("mode")) && upper.get("uid").equals(l.get("uid"))
        && upper.get("gid").equals(l.get("gid"))
        && sameTime((FileTime) upper.get("lastModifiedTime"), (FileTime) l.get("lastModifiedTime"));
  }

  /** moby sameFsTime: equal, or the same second where one side has no fraction. */
  private static boolean sameTime(FileTime a, FileTime b) {
    var x = a.toInstant();
    var y = b.toInstant();
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

  private static boolean isOpaque(Path dir) {
    try {
      return FileNodes.getXattr(dir, "trusted.overlay.opaque").map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    } catch (ErrnoException e) {
      return false;
    }
  }
}
