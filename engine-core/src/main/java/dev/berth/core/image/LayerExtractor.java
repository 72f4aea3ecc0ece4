package dev.berth.core.image;

import dev.berth.core.fs.FileTrees;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.FileNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks one layer tar into a layer's diff directory, turning AUFS whiteouts into overlay ones.
 *
 * <p>The directory is fresh and private to this extraction, so the only hostile input is the tar
 * itself. Every entry is checked before anything is written for it: no absolute names, no {@code ..},
 * no path that passes through a symlink (one the same tar made), no hardlink to outside. Regular files
 * are created with O_EXCL, which does not follow a symlink, and ownership and times are set with
 * no-follow calls, so nothing outside the directory is ever touched.
 */
final class LayerExtractor {

  static final String WHITEOUT_PREFIX = ".wh.";
  static final String WHITEOUT_META_PREFIX = ".wh..wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";
  static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  private static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";
  private static final String SCHILY_XATTR = "SCHILY.xattr.";
  private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;

  private record DeferredDir(List<String> path, int mode, FileTime mtime, FileTime atime) {}

  private final Path root;
  private final Map<String, DeferredDir> dirs = new LinkedHashMap<>();
  private long size;

  private LayerExtractor(Path root) {
    this.root = root;
  }

  /**
   * Extracts an uncompressed layer tar into {@code root}, an existing empty directory.
   *
   * @return bytes of regular file content written, the layer's size
   * @throws InvalidArgumentException for a malformed tar or an entry that would escape {@code root}
   */
  static long extract(InputStream tarStream, Path root) {
    var x = new LayerExtractor(root);
    var tar = new TarArchiveInputStream(tarStream);
    while (true) {
      TarArchiveEntry e;
      try {
        e = tar.getNextEntry();
      } catch (IOException ex) {
        throw new InvalidArgumentException("invalid tar header: " + ex.getMessage(), ex);
      }
      if (e == null) {
        break;
      }
      x.entry(e, tar);
    }
    x.finishDirectories();
    return x.size;
  }

  /** The components of a tar path, refusing anything that could leave the root. */
  static List<String> components(String name) {
    if (name.startsWith("/")) {
      throw new InvalidArgumentException("invalid tar entry " + quote(name) + ": absolute path");
    }
    var out = new ArrayList<String>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new InvalidArgumentException("invalid tar entry " + quote(name) + ": path escapes the layer");
      }
      out.add(c);
    }
    return out;
  }

  private void entry(TarArchiveEntry e, InputStream data) {
    if (e.isGlobalPaxHeader()) {
      return;
    }
    List<String> comps = components(e.getName());
    if (comps.isEmpty()) {
      if (e.isDirectory()) {
        chown(root, e);
        setXattrs(root, e);
        dirs.put("", new DeferredDir(comps, e.getMode(), e.getLastModifiedTime(), atime(e)));
      }
      return;
    }
    // AUFS bookkeeping at the top (.wh..wh.plnk, .wh..wh.aufs, ...) is no file of the image.
    if (comps.getFirst().startsWith(WHITEOUT_META_PREFIX) && !(comps.size() == 1 && comps.getFirst().equals(OPAQUE_MARKER))) {
      return;
    }
    List<String> parent = comps.subList(0, comps.size() - 1);
    String base = comps.getLast();
    if (base.startsWith(WHITEOUT_PREFIX)) {
      whiteout(e, parent, base);
      return;
    }
    Path path;
    if (e.isLink()) {
      Path target = existingTarget(e);
      path = prepareParent(parent).resolve(base);
      removeUnlessMergeable(path, false);
      try {
        Files.createLink(path, target);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      // A hardlink shares its target's inode: owner, mode and times are the target's.
      return;
    }
    path = prepareParent(parent).resolve(base);
    removeUnlessMergeable(path, e.isDirectory());
    try {
      if (e.isDirectory()) {
        if (!Files.isDirectory(path, NOFOLLOW_LINKS)) {
          Files.createDirectory(path);
        }
        chown(path, e);
        setXattrs(path, e);
        dirs.put(String.join("/", comps), new DeferredDir(comps, e.getMode(), e.getLastModifiedTime(), atime(e)));
        return;
      }
      if (e.isSymbolicLink()) {
        if (e.getLinkName().isEmpty()) {
          throw new InvalidArgumentException("invalid tar entry " + quote(e.getName()) + ": empty symlink target");
        }
        Files.createSymbolicLink(path, Path.of(e.getLinkName()));
        chown(path, e);
        setXattrs(path, e);
        setTimes(path, e.getLastModifiedTime(), atime(e));
        return;
      }
      if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        int type = e.isFIFO() ? FileNodes.S_IFIFO : e.isCharacterDevice() ? FileNodes.S_IFCHR : FileNodes.S_IFBLK;
        FileNodes.mknod(path, type, e.getMode(), e.getDevMajor(), e.getDevMinor());
      } else if (isRegular(e)) {
        writeFile(path, data, e);
      } else {
        throw new InvalidArgumentException(
            "invalid tar entry " + quote(e.getName()) + ": unhandled tar header type " + e.getLinkFlag());
      }
      chown(path, e);
      // After chown: changing the owner clears setuid and setgid.
      Files.setAttribute(path, "unix:mode", e.getMode() & 07777);
      setXattrs(path, e);
      setTimes(path, e.getLastModifiedTime(), atime(e));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private void whiteout(TarArchiveEntry e, List<String> parent, String base) {
    if (base.equals(OPAQUE_MARKER)) {
      FileNodes.setXattr(prepareParent(parent), OPAQUE_XATTR, new byte[] {'y'});
      return;
    }
    if (base.startsWith(WHITEOUT_META_PREFIX)) {
      return;
    }
    String hidden = base.substring(WHITEOUT_PREFIX.length());
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new InvalidArgumentException("invalid tar entry " + quote(e.getName()) + ": bad whiteout");
    }
    Path path = prepareParent(parent).resolve(hidden);
    removeUnlessMergeable(path, false);
    FileNodes.whiteout(path);
    chown(path, e);
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG
        || e.isSparse();
  }

  private void writeFile(Path path, InputStream data, TarArchiveEntry e) throws IOException {
    // CREATE_NEW is O_EXCL: it fails on any existing name, a symlink included, instead of following it.
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[65536];
      while (true) {
        int n;
        try {
          n = data.read(buf);
        } catch (IOException ex) {
          throw new InvalidArgumentException("invalid tar data for " + quote(e.getName()) + ": " + ex.getMessage(), ex);
        }
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        size += n;
      }
    }
  }

  /**
   * Makes sure the parent directory exists and that no component of it is a symlink, creating
   * missing components (0755, as Docker does). Returns its path.
   */
  private Path prepareParent(List<String> parent) {
    Path p = root;
    boolean creating = false;
    for (String c : parent) {
      p = p.resolve(c);
      if (!creating) {
        BasicFileAttributes a = lstat(p);
        if (a == null) {
          creating = true;
        } else if (a.isSymbolicLink()) {
          throw throughSymlink(parent, c);
        } else if (!a.isDirectory()) {
          throw new InvalidArgumentException("invalid tar entry under " + quote(String.join("/", parent)) + ": not a directory");
        }
      }
      if (creating) {
        try {
          Files.createDirectory(p);
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
    return p;
  }

  /** Checks a hardlink target without creating anything: inside the layer, reached without symlinks, existing. */
  private Path existingTarget(TarArchiveEntry e) {
    List<String> target = components(e.getLinkName());
    if (target.isEmpty()) {
      throw new InvalidArgumentException("invalid hardlink " + quote(e.getName()) + " -> " + quote(e.getLinkName()));
    }
    Path p = root;
    for (int i = 0; i < target.size(); i++) {
      p = p.resolve(target.get(i));
      BasicFileAttributes a = lstat(p);
      boolean last = i == target.size() - 1;
      if (a != null && !last && a.isSymbolicLink()) {
        throw throughSymlink(target, target.get(i));
      }
      if (a == null || (!last && !a.isDirectory()) || (last && a.isDirectory())) {
        throw new InvalidArgumentException("invalid hardlink " + quote(e.getName()) + " -> " + quote(e.getLinkName()));
      }
    }
    return p;
  }

  /**
   * A name that exists is replaced, except that a directory entry over a directory merges into it
   * (Docker's rule). A symlink is removed, never followed.
   */
  private static void removeUnlessMergeable(Path path, boolean entryIsDir) {
    BasicFileAttributes a = lstat(path);
    if (a == null || (a.isDirectory() && entryIsDir)) {
      return;
    }
    if (a.isDirectory()) {
      FileTrees.delete(path);
    } else {
      try {
        Files.delete(path);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  /** Directory modes and times go last: writing into a directory changes its mtime, and a read-only mode would get in the way. */
  private void finishDirectories() {
    for (DeferredDir d : dirs.values()) {
      Path p = root;
      boolean ok = true;
      for (String c : d.path()) {
        p = p.resolve(c);
        BasicFileAttributes a = lstat(p);
        // A later entry may have replaced it, or a directory above it, with something else.
        if (a == null || !a.isDirectory() || a.isSymbolicLink()) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        continue;
      }
      try {
        Files.setAttribute(p, "unix:mode", d.mode() & 07777);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      setTimes(p, d.mtime(), d.atime());
    }
  }

  private static void chown(Path p, TarArchiveEntry e) {
    try {
      Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW_LINKS);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static void setTimes(Path p, FileTime mtime, FileTime atime) {
    FileNodes.setTimes(p, mtime.toInstant(), atime.toInstant());
  }

  private static FileTime atime(TarArchiveEntry e) {
    return e.getLastAccessTime() != null ? e.getLastAccessTime() : e.getLastModifiedTime();
  }

  /**
   * Extended attributes from PAX headers. commons-compress decodes PAX values as UTF-8, so a value
   * that is not valid UTF-8 (some security.capability blobs) cannot be restored byte for byte from
   * SCHILY records; LIBARCHIVE records carry base64 and are exact. overlay's own attributes are
   * refused from the tar: only whiteout conversion may set them, or a layer could redirect lookups.
   */
  private static void setXattrs(Path p, TarArchiveEntry e) {
    for (var h : e.getExtraPaxHeaders().entrySet()) {
      String name;
      byte[] value;
      if (h.getKey().startsWith(SCHILY_XATTR)) {
        name = h.getKey().substring(SCHILY_XATTR.length());
        value = h.getValue().getBytes(StandardCharsets.UTF_8);
      } else if (h.getKey().startsWith(LIBARCHIVE_XATTR)) {
        name = URLDecoder.decode(h.getKey().substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8);
        try {
          value = Base64.getDecoder().decode(h.getValue().strip());
        } catch (IllegalArgumentException ex) {
          throw new InvalidArgumentException("invalid xattr record " + quote(h.getKey()));
        }
      } else {
        continue;
      }
      if (name.isEmpty() || name.startsWith(OVERLAY_XATTR_PREFIX)) {
        continue;
      }
      try {
        FileNodes.setXattr(p, name, value);
      } catch (ErrnoException ex) {
        // Docker ignores these too: the filesystem may not support the namespace.
        if (ex.errno() != ENOTSUP && ex.errno() != EPERM) {
          throw ex;
        }
      }
    }
  }

  private static BasicFileAttributes lstat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
    } catch (NoSuchFileException ex) {
      return null;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static InvalidArgumentException throughSymlink(List<String> path, String link) {
    return new InvalidArgumentException(
        "invalid tar entry under " + quote(String.join("/", path)) + ": path passes through symlink " + quote(link));
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
