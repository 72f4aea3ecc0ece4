package dev.berth.core.fs;

import dev.berth.core.error.InternalException;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.fs.RootedPath.Refused;
import dev.berth.core.fs.RootedPath.Resolution;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.RootedFiles;
import dev.berth.core.os.RootedFiles.Stat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a directory tree with everything a container cares about: owners, modes, times,
 * symlinks (as links, never followed), hard links (as links), devices, FIFOs and extended
 * attributes. This is dockerd's copy-up of image content into an empty volume (containerd
 * continuity {@code fs.CopyDir}): the destination root takes the source root's owner, mode and times.
 *
 * <p>The destination may be mounted in a running container while we write (a volume in use), and
 * that container may swap a directory we just made for a symlink to {@code /} or a host path. So
 * both trees are {@link RootedPath}s, whose roots are opened once and never followed: every entry
 * is made by name relative to the descriptor of its parent ({@code mkdirat},
 * {@code openat(O_CREAT|O_EXCL|O_NOFOLLOW)}, {@code symlinkat}, {@code mknodat}, {@code linkat}),
 * then opened without following it and checked to be what was made, and owner, mode, attributes
 * and times are set on that descriptor. A race can make the copy fail, never write outside the
 * destination. The source (an image's root filesystem, which nothing runs in) is read the same
 * way, so none of its symlinks is followed either.
 */
public final class TreeCopy {

  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;
  private static final int S_IFSOCK = 0140000;

  /** Where the first copy of an inode with several links went, and which inode that copy is. */
  private record FirstLink(String path, long dev, long ino) {}

  private final RootedPath from;
  private final RootedPath to;
  private final Map<String, FirstLink> links = new HashMap<>();

  private TreeCopy(RootedPath from, RootedPath to) {
    this.from = from;
    this.to = to;
  }

  /**
   * Copies the contents of {@code source} into the existing directory {@code target}.
   *
   * @throws InternalException if something in the target changed under the copy
   */
  public static void copy(Path source, Path target) {
    try (RootedPath from = RootedPath.openNoFollow(source); RootedPath to = RootedPath.openNoFollow(target)) {
      from.root().stat(); // before listing it changes the access time
      new TreeCopy(from, to).copyContents(from.root(), to.root());
      // Each directory's metadata once its entries are made: making an entry changes the mtime.
      metadata(from.root(), to.root().fd(), true);
    }
  }

  private void copyContents(Node srcDir, Node dstDir) {
    for (String name : from.list(srcDir)) {
      try (Node src = from.child(srcDir, name)) {
        if (src != null) {
          copyEntry(src, dstDir, name);
        }
      }
    }
  }

  private void copyEntry(Node src, Node dstDir, String name) {
    Stat s = src.stat();
    int type = s.type();
    if (type == S_IFSOCK) {
      return; // a socket is a live endpoint, not content
    }
    if (s.isDirectory()) {
      // Private until its mode is set, when everything below is in place.
      RootedFiles.mkdir(dstDir.fd(), name, 0700);
      try (Node dst = made(dstDir, name, RootedFiles.S_IFDIR)) {
        copyContents(src, dst);
        metadata(src, dst.fd(), true);
      }
      return;
    }
    String key = s.dev() + ":" + s.ino();
    if (s.nlink() > 1) {
      FirstLink first = links.get(key);
      if (first != null) {
        link(first, dstDir, name);
        return;
      }
    }
    Stat copy;
    if (s.isRegular()) {
      copy = copyFile(src, dstDir, name);
    } else {
      if (s.isSymlink()) {
        RootedFiles.symlink(RootedFiles.readlink(src.fd()), dstDir.fd(), name);
      } else {
        RootedFiles.mknod(dstDir.fd(), name, s.mode(), s.rdevMajor(), s.rdevMinor());
      }
      try (Node dst = made(dstDir, name, type)) {
        metadata(src, dst.fd(), true);
        copy = dst.stat();
      }
    }
    if (s.nlink() > 1) {
      links.put(key, new FirstLink(RootedPath.join(dstDir.path(), name), copy.dev(), copy.ino()));
    }
  }

  /** A regular file: created exclusively (so never anything that was there), filled and finished on its descriptor. */
  private static Stat copyFile(Node src, Node dstDir, String name) {
    int out = RootedFiles.openAt(dstDir.fd(), name, RootedFiles.O_WRONLY | RootedFiles.O_CREAT | RootedFiles.O_EXCL,
        0600);
    try {
      int in = RootedFiles.reopen(src.fd(), RootedFiles.O_RDONLY);
      try {
        RootedFiles.copyContent(in, out);
      } finally {
        Fd.close(in);
      }
      metadata(src, out, false);
      return RootedFiles.stat(out, "");
    } finally {
      Fd.close(out);
    }
  }

  /**
   * Another link to an inode already copied: to the copy, found again without following any
   * symlink and only if it still is the inode we made.
   */
  private void link(FirstLink first, Node dstDir, String name) {
    Resolution r;
    try {
      r = to.resolveNoLinks(first.path(), false);
    } catch (Refused e) {
      throw changed(first.path());
    }
    try (r) {
      Stat st = r.node() == null ? null : r.node().stat();
      if (st == null || st.dev() != first.dev() || st.ino() != first.ino()) {
        throw changed(first.path());
      }
      RootedFiles.link(r.node().fd(), dstDir.fd(), name);
    }
  }

  /** Opens what was just made in {@code dir}, not following it, and checks it is what was made. */
  private Node made(Node dir, String name, int type) {
    Node n = to.child(dir, name);
    if (n == null || n.stat().type() != type) {
      if (n != null) {
        n.close();
      }
      throw changed(RootedPath.join(dir.path(), name));
    }
    return n;
  }

  /** Owner, then mode (chown clears setuid), xattrs, then times; all on the copy's own descriptor. */
  private static void metadata(Node src, int dstFd, boolean pathOnly) {
    Stat s = src.stat();
    RootedFiles.chown(dstFd, s.uid(), s.gid());
    if (!s.isSymlink()) {
      RootedFiles.chmod(dstFd, s.mode() & 07777);
    }
    copyXattrs(src.fd(), dstFd, pathOnly);
    RootedFiles.setTimes(dstFd, s.mtime(), s.atime());
  }

  private static void copyXattrs(int srcFd, int dstFd, boolean pathOnly) {
    try {
      for (String name : RootedFiles.listXattrs(srcFd, true)) {
        // overlay's own attributes describe the source's layer, not the content.
        if (name.startsWith("trusted.overlay.")) {
          continue;
        }
        Optional<byte[]> value = RootedFiles.getXattr(srcFd, true, name);
        if (value.isPresent()) {
          RootedFiles.setXattr(dstFd, pathOnly, name, value.get());
        }
      }
    } catch (ErrnoException e) {
      if (e.errno() != ENOTSUP && e.errno() != EPERM) {
        throw e;
      }
    }
  }

  private static InternalException changed(String path) {
    return new InternalException("copying into volume: " + path + " changed while it was copied");
  }
}
