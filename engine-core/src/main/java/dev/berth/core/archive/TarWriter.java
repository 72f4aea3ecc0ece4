package dev.berth.core.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.FileNodes;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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

  public TarWriter(OutputStream out, boolean convertWhiteouts) {
    // One 512-byte record per block, as Go writes: an empty tar is exactly 1024 zero bytes (moby layer.EmptyLayer).
    this.tar = new TarArchiveOutputStream(out, 512, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    this.convertWhiteouts = convertWhiteouts;
  }

  /**
   * Writes {@code host} as {@code name}, and if it is a directory everything below it, children
   * in name order. {@code resolve} maps a child's name below {@code name} to the host path that
   * holds it, so a walk can cross into other directories (a container's volumes); a child it maps
   * to nothing is skipped.
   */
  public void addTree(String name, Path host, Function<String, Optional<Path>> resolve) throws IOException {
    Map<String, Object> a = attributes(host);
    if (a == null) {
      return;
    }
    add(name, host, a);
    if (Files.isDirectory(host, NOFOLLOW_LINKS)) {
      for (String child : children(host)) {
        String childName = name.isEmpty() || name.endsWith("/") ? name + child : name + "/" + child;
        Optional<Path> childHost = resolve.apply(childName);
        if (childHost.isPresent()) {
          addTree(childName, childHost.get(), resolve);
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
  public void add(String name, Path host, Map<String, Object> a) throws IOException {
    int mode = (int) a.get("mode");
    int type = mode & FileMode.S_IFMT;
    boolean dir = type == FileMode.S_IFDIR;
    String entryName = dir && !name.endsWith("/") ? name + "/" : name;
    TarArchiveEntry e;
    if (type == FileMode.S_IFLNK) {
      e = new TarArchiveEntry(entryName, TarConstants.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(host).toString());
    } else if (type == FileMode.S_IFCHR || type == FileMode.S_IFBLK || type == FileMode.S_IFIFO) {
      long rdev = (long) a.get("rdev");
      if (convertWhiteouts && type == FileMode.S_IFCHR && rdev == 0) {
        writeWhiteout(entryName, a);
        return;
      }
      e = new TarArchiveEntry(entryName, type == FileMode.S_IFCHR ? TarConstants.LF_CHR
          : type == FileMode.S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO);
      if (type != FileMode.S_IFIFO) {
        e.setDevMajor(major(rdev));
        e.setDevMinor(minor(rdev));
      }
    } else if (type == FileMode.S_IFSOCK) {
      return; // go-archive skips sockets: they are no content
    } else {
      e = new TarArchiveEntry(entryName, dir ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
    }
    e.setMode(mode & 07777 | (mode & FileMode.S_IFMT));
    e.setIds((int) a.get("uid"), (int) a.get("gid"));
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000 * 1000);
    if (!dir && type == FileMode.S_IFREG && (int) a.get("nlink") > 1) {
      String key = a.get("dev") + ":" + a.get("ino");
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
    // A capability blob is binary: commons-compress writes PAX values as UTF-8, which SCHILY records
    // cannot carry byte for byte; LIBARCHIVE records are base64 and exact.
    capability(host).ifPresent(v -> e.addPaxHeader("LIBARCHIVE.xattr." + CAPABILITY,
        java.util.Base64.getEncoder().encodeToString(v)));
    if (type == FileMode.S_IFREG) {
      e.setSize((long) a.get("size"));
    }
    tar.putArchiveEntry(e);
    if (type == FileMode.S_IFREG) {
      copyContent(host, (long) a.get("size"));
    }
    tar.closeArchiveEntry();
    if (dir && convertWhiteouts && isOpaque(host)) {
      var opq = new TarArchiveEntry(entryName + OPAQUE, TarConstants.LF_NORMAL);
      opq.setMode(mode & 0777);
      opq.setIds((int) e.getLongUserId(), (int) e.getLongGroupId());
      opq.setUserName("");
      opq.setGroupName("");
      opq.setModTime(0);
      tar.putArchiveEntry(opq);
      tar.closeArchiveEntry();
    }
  }

  /**
   * The file's attributes without following a link; null if it vanished (a running container
   * may delete while we read).
   */
  public static Map<String, Object> attributes(Path host) throws IOException {
    try {
      return Files.readAttributes(host, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev", NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
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
  private void copyContent(Path host, long size) throws IOException {
    long left = size;
    try (var in = Files.newInputStream(host, NOFOLLOW_LINKS)) {
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        tar.write(buffer, 0, n);
        left -= n;
      }
    }
    java.util.Arrays.fill(buffer, (byte) 0);
    while (left > 0) {
      int n = (int) Math.min(buffer.length, left);
      tar.write(buffer, 0, n);
      left -= n;
    }
  }

  private void writeWhiteout(String name, Map<String, Object> a) throws IOException {
    int slash = name.lastIndexOf('/', name.length() - 1);
    String wo = name.substring(0, slash + 1) + WHITEOUT_PREFIX + name.substring(slash + 1);
    var e = new TarArchiveEntry(wo, TarConstants.LF_NORMAL);
    e.setMode(0100600);
    e.setIds((int) a.get("uid"), (int) a.get("gid"));
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000 * 1000);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static boolean isOpaque(Path dir) {
    try {
      return FileNodes.getXattr(dir, OPAQUE_XATTR).map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    } catch (ErrnoException e) {
      return false;
    }
  }

  private static Optional<byte[]> capability(Path host) {
    try {
      return FileNodes.getXattr(host, CAPABILITY);
    } catch (ErrnoException e) {
      return Optional.empty(); // no xattr support here (ENOTSUP), or none readable: nothing to keep
    }
  }

  static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
