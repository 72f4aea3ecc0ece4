package dev.berth.core.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.FileNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a directory tree with everything a container cares about: owners, modes, times,
 * symlinks (as links, never followed), hard links (as links), devices, FIFOs and extended
 * attributes. This is dockerd's copy-up of image content into an empty volume (containerd
 * continuity {@code fs.CopyDir}): the destination root takes the source root's owner, mode and times.
 */
public final class TreeCopy {

  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Map<Object, Path> links = new HashMap<>();
  private final List<Path[]> dirs = new ArrayList<>();

  private TreeCopy() {}

  /** Copies the contents of {@code source} into the existing directory {@code target}. */
  public static void copy(Path source, Path target) {
    var c = new TreeCopy();
    try {
      c.copyDirContents(source, target);
      c.dirs.add(new Path[] {source, target});
      // Times last, children first: creating entries changes a directory's mtime.
      for (Path[] d : c.dirs.reversed()) {
        metadata(d[0], d[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void copyDirContents(Path source, Path target) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(source)) {
      for (Path child : children) {
        copyEntry(child, target.resolve(child.getFileName().toString()));
      }
    }
  }

  private void copyEntry(Path src, Path dst) throws IOException {
    Map<String, Object> a = Files.readAttributes(src, "unix:mode,ino,dev,nlink,rdev", NOFOLLOW_LINKS);
    int mode = (int) a.get("mode");
    int type = mode & S_IFMT;
    if (Files.isDirectory(src, NOFOLLOW_LINKS)) {
      Files.createDirectory(dst);
      copyDirContents(src, dst);
      dirs.add(new Path[] {src, dst});
      return;
    }
    if ((int) a.get("nlink") > 1) {
      Object key = a.get("dev") + ":" + a.get("ino");
      Path first = links.putIfAbsent(key, dst);
      if (first != null) {
        Files.createLink(dst, first);
        return;
      }
    }
    if (Files.isSymbolicLink(src)) {
      Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
    } else if (Files.isRegularFile(src, NOFOLLOW_LINKS)) {
      Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW_LINKS);
    } else if (type == S_IFSOCK) {
      return; // a socket is a live endpoint, not content
    } else {
      long rdev = (long) a.get("rdev");
      FileNodes.mknod(dst, type, mode & 07777, major(rdev), minor(rdev));
    }
    metadata(src, dst);
  }

  /** Owner, then mode (chown clears setuid), xattrs, then times; never following a symlink. */
  private static void metadata(Path src, Path dst) throws IOException {
    Map<String, Object> a = Files.readAttributes(src, "unix:uid,gid,mode,lastModifiedTime,lastAccessTime",
        NOFOLLOW_LINKS);
    Files.setAttribute(dst, "unix:uid", a.get("uid"), NOFOLLOW_LINKS);
    Files.setAttribute(dst, "unix:gid", a.get("gid"), NOFOLLOW_LINKS);
    boolean link = Files.isSymbolicLink(dst);
    if (!link) {
      Files.setAttribute(dst, "unix:mode", (int) a.get("mode") & 07777);
    }
    copyXattrs(src, dst);
    FileNodes.setTimes(dst, ((FileTime) a.get("lastModifiedTime")).toInstant(),
        ((FileTime) a.get("lastAccessTime")).toInstant());
  }

  private static void copyXattrs(Path src, Path dst) {
    try {
      for (String name : FileNodes.listXattrs(src)) {
        // overlay's own attributes describe the source's layer, not the content.
        if (name.startsWith("trusted.overlay.")) {
          continue;
        }
        FileNodes.getXattr(src, name).ifPresent(v -> FileNodes.setXattr(dst, name, v));
      }
    } catch (ErrnoException e) {
      if (e.errno() != ENOTSUP && e.errno() != EPERM) {
        throw e;
      }
    }
  }

  static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
