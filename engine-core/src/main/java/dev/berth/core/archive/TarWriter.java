package dev.berth.core.archive;

import dev.berth.core.fs.RootedPath;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.RootedFiles;
import dev.berth.core.os.RootedFiles.Stat;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes files as go-archive's tarAppender does: PAX headers, numeric owners without names,
 * modification times in whole seconds, hard links as links to the first name seen, and the
 * {@code security.capability} attribute. With whiteout conversion (a layer diff of an overlay
 * upper directory) a 0/0 character device becomes a {@code .wh.} file and an opaque directory
 * gets a {@code .wh..wh..opq} entry.
 */
public final class TarWriter implements Closeable {

  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";
  private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  private static final String CAPABILITY = "security.capability";

  private final TarArchiveOutputStream tar;
  private final boolean convertWhiteouts;
  private final Map<String, String> links = new HashMap<>();
  private final byte[] buffer = new byte[128 * 1024];
  private final RootedFiles.Transfer transfer = new RootedFiles.Transfer(128 * 1024);

  public TarWriter(OutputStream out, boolean convertWhiteouts) {
    // One 512-byte record per block, as Go writes: an empty tar is exactly 1024 zero bytes (moby layer.EmptyLayer).
    this.tar = new TarArchiveOutputStream(out, 512, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    this.convertWhiteouts = convertWhiteouts;
  }

  /**
   * Writes the object {@code node} of {@code tree} as {@code name}, and if it is a directory
   * everything below it, children in name order, never following a symlink. The walk goes by
   * descriptors, so nothing the tree's content does meanwhile makes it read outside the tree; it
   * crosses into what the tree shows at a path (a stopped container's volumes). A child that
   * vanishes meanwhile is left out.
   */
  public void addTree(String name, RootedPath tree, Node node) throws IOException {
    Stat st = node.stat();
    add(name, node, st);
    if (st.isDirectory()) {
      for (String child : tree.list(node)) {
        String childName = name.isEmpty() || name.endsWith("/") ? name + child : name + "/" + child;
        try (Node c = tree.child(node, child)) {
          if (c != null) {
            addTree(childName, tree, c);
          }
        }
      }
    }
  }

  /** Every entry of the tree's root, named relative to it and without the root itself (docker export, a layer diff). */
  public void addContents(RootedPath tree) throws IOException {
    Node root = tree.root();
    for (String child : tree.list(root)) {
      try (Node c = tree.child(root, child)) {
        if (c != null) {
          addTree(child, tree, c);
        }
      }
    }
  }

  /** The children of {@code dir} by name, never following a link out of it. */
  public static List<String> children(Path dir) throws IOException {
    var names = new ArrayList<String>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    } catch (NoSuchFileException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  /** One entry; a directory's content is not added. */
  private void add(String name, Node node, Stat st) throws IOException {
    int type = st.type();
    boolean dir = type == FileMode.S_IFDIR;
    String entryName = dir && !name.endsWith("/") ? name + "/" : name;
    TarArchiveEntry e;
    if (type == FileMode.S_IFLNK) {
      String target = RootedFiles.tryReadlink(node.fd());
      if (target == null) {
        return; // reads as nothing from here (procfs's "self" of another PID namespace): as if it had vanished
      }
      e = new TarArchiveEntry(entryName, TarConstants.LF_SYMLINK);
      e.setLinkName(target);
    } else if (type == FileMode.S_IFCHR || type == FileMode.S_IFBLK || type == FileMode.S_IFIFO) {
      if (convertWhiteouts && type == FileMode.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
        writeWhiteout(entryName, st);
        return;
      }
      e = new TarArchiveEntry(entryName, type == FileMode.S_IFCHR ? TarConstants.LF_CHR
          : type == FileMode.S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO);
      if (type != FileMode.S_IFIFO) {
        e.setDevMajor(st.rdevMajor());
        e.setDevMinor(st.rdevMinor());
      }
    } else if (type == FileMode.S_IFSOCK) {
      return; // go-archive skips sockets: they are no content
    } else {
      e = new TarArchiveEntry(entryName, dir ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
    }
    e.setMode(st.mode() & 07777 | type);
    e.setIds(st.uid(), st.gid());
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(st.mtime().toEpochMilli() / 1000 * 1000);
    if (type == FileMode.S_IFREG && st.nlink() > 1) {
      String key = st.dev() + ":" + st.ino();
      String first = links.putIfAbsent(key, entryName);
      if (first != null) {
        var link = new TarArchiveEntry(entryName, TarConstants.LF_LINK);
        link.setLinkName(first);
        link.setMode(e.getMode());
        link.setIds((int) e.getLongUserId(), (int) e.getLongGroupId());
        link.setUserName("");
        link.setGroupName("");
        link.setModTime(e.getModTime());
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
        return;
      }
    }
    // A regular file is read through a descriptor opened from the one we hold (O_PATH cannot be
    // read): never by name, and never a device or FIFO, which an open could act on.
    int content = type == FileMode.S_IFREG ? RootedFiles.reopen(node.fd(), RootedFiles.O_RDONLY | RootedFiles.O_NONBLOCK)
        : -1;
    try {
      // A capability blob is binary: commons-compress writes PAX values as UTF-8, which SCHILY records
      // cannot carry byte for byte; LIBARCHIVE records are base64 and exact.
      capability(content >= 0 ? content : node.fd(), content < 0).ifPresent(v -> e.addPaxHeader(
          "LIBARCHIVE.xattr." + CAPABILITY, java.util.Base64.getEncoder().encodeToString(v)));
      if (type == FileMode.S_IFREG) {
        e.setSize(st.size());
      }
      tar.putArchiveEntry(e);
      if (content >= 0) {
        copyContent(content, st.size());
      }
      tar.closeArchiveEntry();
    } finally {
      Fd.close(content);
    }
    if (dir && convertWhiteouts && isOpaque(node)) {
      var opq = new TarArchiveEntry(entryName + OPAQUE, TarConstants.LF_NORMAL);
      opq.setMode(st.mode() & 0777);
      opq.setIds((int) e.getLongUserId(), (int) e.getLongGroupId());
      opq.setUserName("");
      opq.setGroupName("");
      opq.setModTime(0);
      tar.putArchiveEntry(opq);
      tar.closeArchiveEntry();
    }
  }

  public void finish() throws IOException {
    tar.finish();
    tar.flush();
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** The file's bytes, exactly as many as the header promised even if it changes meanwhile. */
  private void copyContent(int fd, long size) throws IOException {
    long left = size - transfer.read(fd, tar, size);
    java.util.Arrays.fill(buffer, (byte) 0);
    while (left > 0) {
      int n = (int) Math.min(buffer.length, left);
      tar.write(buffer, 0, n);
      left -= n;
    }
  }

  private void writeWhiteout(String name, Stat st) throws IOException {
    int slash = name.lastIndexOf('/', name.length() - 1);
    String wo = name.substring(0, slash + 1) + WHITEOUT_PREFIX + name.substring(slash + 1);
    var e = new TarArchiveEntry(wo, TarConstants.LF_NORMAL);
    e.setMode(0100600);
    e.setIds(st.uid(), st.gid());
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(st.mtime().toEpochMilli() / 1000 * 1000);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static boolean isOpaque(Node dir) {
    try {
      return RootedFiles.getXattr(dir.fd(), true, OPAQUE_XATTR).map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    } catch (ErrnoException e) {
      return false;
    }
  }

  private static Optional<byte[]> capability(int fd, boolean pathOnly) {
    try {
      return RootedFiles.getXattr(fd, pathOnly, CAPABILITY);
    } catch (ErrnoException e) {
      return Optional.empty(); // no xattr support here (ENOTSUP), or none readable: nothing to keep
    }
  }
}
