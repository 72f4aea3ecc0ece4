package dev.berth.core.archive;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.GoPath;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.fs.RootedPath.Refused;
import dev.berth.core.fs.RootedPath.Resolution;
import dev.berth.core.fs.RootedPath.Slot;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.RootedFiles;
import dev.berth.core.os.RootedFiles.Stat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The engine's one tar extraction, in two dialects: {@code docker cp} uploads ({@link #unpack},
 * go-archive's {@code Unpack} as dockerd runs it chrooted into the container) and image layers
 * ({@link #unpackLayer}, whose whiteouts the caller handles).
 *
 * <p>Everything is written through a {@link RootedPath}: each entry's directory is resolved inside
 * the tree to a descriptor, and the entry is made, replaced and given its owner, mode, attributes
 * and times relative to that descriptor, by name, never following a symlink at the name. So
 * neither a symlink in the tree, nor one the tar makes, nor one the container swaps in while we
 * write, leads anywhere outside. On top of that an entry whose name climbs out, a symlink whose
 * relative target climbs out (cp) and a hard link to outside are refused; a layer also refuses any
 * path through a symlink.
 *
 * <p>cp writes a regular file under a temporary name and renames it into place, so no reader (and
 * no later start) sees it half-written. Directory modes and times are applied last: writing into a
 * directory changes its mtime, and a read-only mode would be in the way.
 */
public final class TarUnpacker {

  private static final String SCHILY_XATTR = "SCHILY.xattr.";
  private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
  private static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";
  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;

  /**
   * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory and vice versa
   * @param uid owner for everything written, or -1 to keep the tar's
   * @param gid group for everything written, or -1 to keep the tar's
   */
  public record Options(boolean noOverwriteDirNonDir, int uid, int gid) {}

  /** Entries a layer gives a meaning of its own (whiteouts); asked before the entry is written. */
  @FunctionalInterface
  public interface Special {
    /**
     * @param components the entry's name, checked: relative, no {@code ..}, not empty
     * @return true if the entry was dealt with
     */
    boolean handle(TarArchiveEntry e, List<String> components, TarUnpacker x);
  }

  private record DeferredDir(int mode, Instant mtime, Instant atime) {}

  private final ExtractTarget target;
  private final RootedPath tree;
  private final Node dest;
  private final Options options;
  private final boolean layer;
  private final Special special;
  private final Map<String, DeferredDir> dirs = new LinkedHashMap<>();
  private final RootedFiles.Transfer transfer = new RootedFiles.Transfer(128 * 1024);
  private long size;

  private TarUnpacker(ExtractTarget target, Node dest, Options options, boolean layer, Special special) {
    this.target = target;
    this.tree = target.tree();
    this.dest = dest;
    this.options = options;
    this.layer = layer;
    this.special = special;
  }

  /**
   * {@code docker cp}: extracts into {@code dest}, a directory of the target's tree.
   *
   * @throws InvalidArgumentException for a malformed tar, an entry that escapes, a refused write
   */
  public static void unpack(InputStream tarStream, ExtractTarget target, Node dest, Options options) {
    new TarUnpacker(target, dest, options, false, null).run(tarStream);
  }

  /**
   * An image layer: extracts into the root of {@code tree}, a fresh directory.
   *
   * @return bytes of regular file content written, the layer's size
   * @throws InvalidArgumentException for a malformed tar or an entry that would escape the tree
   */
  public static long unpackLayer(InputStream tarStream, RootedPath tree, Special whiteouts) {
    ExtractTarget target = () -> tree;
    var u = new TarUnpacker(target, tree.root(), new Options(false, -1, -1), true, whiteouts);
    u.run(tarStream);
    return u.size;
  }

  private void run(InputStream tarStream) {
    var tar = TarInput.open(tarStream);
    try {
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
        entry(e, tar);
      }
      finishDirectories();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public RootedPath tree() {
    return tree;
  }

  /**
   * The directory at {@code components} below the destination, made where missing, as an entry's
   * directory is; close it after use.
   */
  public Node directory(List<String> components) {
    String path = join(dest.path(), components);
    try {
      return tree.directory(path, !layer, new RootedPath.Maker() {
        @Override
        public void check(String parent) {
          target.checkWritable(parent);
        }

        @Override
        public void made(Node dir) {
          // Docker's implied directories: 0755 whatever the umask, the copy's owner if one is forced.
          RootedFiles.chmod(dir.fd(), 0755);
          if (options.uid() >= 0) {
            RootedFiles.chown(dir.fd(), options.uid(), options.gid());
          }
        }
      });
    } catch (Refused r) {
      if (!layer) {
        throw new InvalidArgumentException("not a directory: " + r.path());
      }
      String shown = String.join("/", components);
      throw r.why() == Refused.Why.SYMLINK ? throughSymlink(shown, r.path())
          : new InvalidArgumentException("invalid tar entry under " + quote(shown) + ": not a directory");
    }
  }

  /** Gives {@code n} the entry's owner (or the forced one); a symlink its own. */
  public void owner(Node n, TarArchiveEntry e) {
    RootedFiles.chown(n.fd(), options.uid() >= 0 ? options.uid() : (int) e.getLongUserId(),
        options.gid() >= 0 ? options.gid() : (int) e.getLongGroupId());
  }

  private void entry(TarArchiveEntry e, InputStream data) throws IOException {
    if (e.isGlobalPaxHeader()) {
      return;
    }
    List<String> comps = layer ? components(e.getName()) : copyComponents(e.getName());
    if (comps.isEmpty()) {
      // cp: the destination is an existing directory, and go-archive skips "." over a directory.
      if (layer && e.isDirectory()) {
        owner(dest, e);
        setXattrs(dest, true, e);
        dirs.put(dest.path(), new DeferredDir(e.getMode(), mtime(e), atime(e)));
      }
      return;
    }
    if (special != null && special.handle(e, comps, this)) {
      return;
    }
    String joined = join(dest.path(), comps);
    try (Node parent = directory(comps.subList(0, comps.size() - 1))) {
      target.checkWritable(parent.path());
      Slot slot = tree.slot(parent, comps.getLast());
      Stat existing = slot.existing();
      if (existing != null) {
        if (options.noOverwriteDirNonDir() && existing.isDirectory() && !e.isDirectory()) {
          throw new InvalidArgumentException("cannot overwrite directory \"" + joined + "\" with non-directory \""
              + dest.path() + "\"");
        }
        if (options.noOverwriteDirNonDir() && !existing.isDirectory() && e.isDirectory()) {
          throw new InvalidArgumentException("cannot overwrite non-directory \"" + joined + "\" with directory \""
              + dest.path() + "\"");
        }
        boolean merge = existing.isDirectory() && e.isDirectory();
        boolean renamedOver = !layer && isRegular(e) && !existing.isDirectory();
        if (!merge && !renamedOver) {
          tree.remove(slot);
          slot = new Slot(slot.path(), slot.dirFd(), slot.name(), null, false);
        }
      }
      if (e.isDirectory()) {
        directoryEntry(slot, e);
      } else if (e.isSymbolicLink()) {
        symlinkEntry(slot, joined, e);
      } else if (e.isLink()) {
        hardlinkEntry(slot, e);
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        if (!e.isFIFO()) {
          target.checkDevice(parent.path());
        }
        int type = e.isFIFO() ? RootedFiles.S_IFIFO : e.isCharacterDevice() ? RootedFiles.S_IFCHR : RootedFiles.S_IFBLK;
        RootedFiles.mknod(slot.dirFd(), slot.name(), type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
        try (Node n = made(slot, type)) {
          owner(n, e);
          RootedFiles.chmod(n.fd(), e.getMode() & 07777);
          setXattrs(n, true, e);
          RootedFiles.setTimes(n.fd(), mtime(e), atime(e));
        }
      } else if (isRegular(e)) {
        fileEntry(slot, data, e);
      } else {
        throw new InvalidArgumentException(layer ? "invalid tar entry " + quote(e.getName())
            + ": unhandled tar header type " + e.getLinkFlag() : "unhandled tar header type " + e.getLinkFlag());
      }
    }
  }

  private void directoryEntry(Slot slot, TarArchiveEntry e) {
    if (slot.existing() == null) {
      RootedFiles.mkdir(slot.dirFd(), slot.name(), 0755);
    }
    try (Node n = made(slot, RootedFiles.S_IFDIR)) {
      owner(n, e);
      setXattrs(n, true, e);
      dirs.put(n.path(), new DeferredDir(e.getMode(), mtime(e), atime(e)));
    }
  }

  private void symlinkEntry(Slot slot, String joined, TarArchiveEntry e) {
    String link = e.getLinkName();
    if (layer && link.isEmpty()) {
      throw new InvalidArgumentException("invalid tar entry " + quote(e.getName()) + ": empty symlink target");
    }
    if (!layer && !GoPath.join(parentOf(joined), link).startsWith(dest.path())) {
      throw new InvalidArgumentException("invalid symlink \"" + joined + "\" -> \"" + link + "\"");
    }
    RootedFiles.symlink(link, slot.dirFd(), slot.name());
    try (Node n = made(slot, RootedFiles.S_IFLNK)) {
      owner(n, e);
      setXattrs(n, true, e);
      RootedFiles.setTimes(n.fd(), mtime(e), atime(e));
    }
  }

  /** A hard link shares its target's inode: owner, mode and times are the target's. */
  private void hardlinkEntry(Slot slot, TarArchiveEntry e) {
    String link = e.getLinkName();
    String source;
    InvalidArgumentException invalid;
    if (layer) {
      List<String> comps = components(link);
      invalid = new InvalidArgumentException("invalid hardlink " + quote(e.getName()) + " -> " + quote(link));
      if (comps.isEmpty()) {
        throw invalid;
      }
      source = join(dest.path(), comps);
    } else {
      source = GoPath.join(dest.path(), link);
      invalid = new InvalidArgumentException("invalid hardlink \"" + source + "\" -> \"" + link + "\"");
      if (!source.startsWith(dest.path())) {
        throw invalid;
      }
    }
    Resolution r;
    try {
      r = layer ? tree.resolveNoLinks(source, false) : tree.resolve(source, false);
    } catch (Refused refused) {
      throw throughSymlink(String.join("/", components(link)), refused.path());
    }
    try (r) {
      if (r.node() == null || r.node().isDirectory()) {
        throw invalid;
      }
      RootedFiles.link(r.node().fd(), slot.dirFd(), slot.name());
    }
  }

  private void fileEntry(Slot slot, InputStream data, TarArchiveEntry e) throws IOException {
    String name = layer ? slot.name() : ".berth-cp-" + UUID.randomUUID();
    // O_EXCL with O_NOFOLLOW: never opens anything that was there, a symlink least of all.
    int fd = RootedFiles.openAt(slot.dirFd(), name, RootedFiles.O_WRONLY | RootedFiles.O_CREAT | RootedFiles.O_EXCL,
        0600);
    boolean done = false;
    try {
      try {
        size += transfer.write(data, fd);
      } catch (IOException ex) {
        if (layer) {
          throw new InvalidArgumentException("invalid tar data for " + quote(e.getName()) + ": " + ex.getMessage(), ex);
        }
        throw ex;
      }
      RootedFiles.chown(fd, options.uid() >= 0 ? options.uid() : (int) e.getLongUserId(),
          options.gid() >= 0 ? options.gid() : (int) e.getLongGroupId());
      // After chown: changing the owner clears setuid and setgid (and security.capability).
      RootedFiles.chmod(fd, e.getMode() & 07777);
      setXattrs(fd, false, e);
      RootedFiles.setTimes(fd, mtime(e), atime(e));
      if (!layer) {
        RootedFiles.rename(slot.dirFd(), name, slot.dirFd(), slot.name());
      }
      done = true;
    } finally {
      Fd.close(fd);
      if (!done && !layer) {
        try {
          RootedFiles.unlink(slot.dirFd(), name, false);
        } catch (ErrnoException ignored) {
          // gone already
        }
      }
    }
  }

  /** Opens what was just made in a slot, and checks it is what was made (nothing swapped in). */
  private Node made(Slot slot, int type) {
    Node n = tree.open(slot);
    if (n == null || n.stat().type() != type) {
      if (n != null) {
        n.close();
      }
      throw new InvalidArgumentException("\"" + slot.path() + "\" changed while it was written");
    }
    return n;
  }

  /** Modes and times of directories, last, where each still is a directory reached without symlinks. */
  private void finishDirectories() {
    for (var d : dirs.entrySet()) {
      try (Resolution r = tree.resolveNoLinks(d.getKey(), true)) {
        if (r.node() == null || !r.node().isDirectory()) {
          continue;
        }
        RootedFiles.chmod(r.node().fd(), d.getValue().mode() & 07777);
        RootedFiles.setTimes(r.node().fd(), d.getValue().mtime(), d.getValue().atime());
      } catch (Refused replaced) {
        // A later entry replaced it, or a directory above it, with a symlink: not ours to change.
      }
    }
  }

  private void setXattrs(Node n, boolean pathOnly, TarArchiveEntry e) {
    setXattrs(n.fd(), pathOnly, e);
  }

  /**
   * Extended attributes from PAX headers. commons-compress decodes PAX values as UTF-8, so a value
   * that is not valid UTF-8 (some security.capability blobs) cannot be restored byte for byte from
   * SCHILY records; LIBARCHIVE records carry base64 and are exact. overlay's own attributes are
   * refused from a tar: they would redirect lookups in the container's layers.
   */
  private void setXattrs(int fd, boolean pathOnly, TarArchiveEntry e) {
    for (var h : e.getExtraPaxHeaders().entrySet()) {
      String key = h.getKey();
      String name;
      byte[] value;
      if (key.startsWith(SCHILY_XATTR)) {
        name = key.substring(SCHILY_XATTR.length());
        value = h.getValue().getBytes(StandardCharsets.UTF_8);
      } else if (key.startsWith(LIBARCHIVE_XATTR)) {
        name = URLDecoder.decode(key.substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8);
        try {
          value = Base64.getDecoder().decode(h.getValue().strip());
        } catch (IllegalArgumentException ex) {
          if (layer) {
            throw new InvalidArgumentException("invalid xattr record " + quote(key));
          }
          continue;
        }
      } else {
        continue;
      }
      if (name.isEmpty() || name.startsWith(OVERLAY_XATTR_PREFIX)) {
        continue;
      }
      try {
        RootedFiles.setXattr(fd, pathOnly, name, value);
      } catch (ErrnoException ex) {
        // Docker ignores these too: the file system may not support the namespace.
        if (ex.errno() != ENOTSUP && ex.errno() != EPERM) {
          throw ex;
        }
      }
    }
  }

  /** A cp entry's name: Go's filepath.Clean, relative; one that climbs out of the destination is refused. */
  private List<String> copyComponents(String entryName) {
    String name = clean(entryName);
    if (name.equals("..") || name.startsWith("../")) {
      throw new InvalidArgumentException("\"" + name + "\" is outside of \"" + dest.path() + "\"");
    }
    return name.equals(".") ? List.of() : List.of(name.split("/"));
  }

  /** A layer entry's name as components, refusing anything that could leave the root. */
  public static List<String> components(String name) {
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

  private static InvalidArgumentException throughSymlink(String path, String linkPath) {
    return new InvalidArgumentException("invalid tar entry under " + quote(path) + ": path passes through symlink "
        + quote(linkPath.substring(linkPath.lastIndexOf('/') + 1)));
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG || e.isSparse();
  }

  private static Instant mtime(TarArchiveEntry e) {
    return e.getLastModifiedTime().toInstant();
  }

  /** The access time a tar carries, never older than the modification time (go-archive's rule for cp). */
  private Instant atime(TarArchiveEntry e) {
    FileTime a = e.getLastAccessTime();
    FileTime m = e.getLastModifiedTime();
    if (layer) {
      return (a != null ? a : m).toInstant();
    }
    return a != null && a.compareTo(m) > 0 ? a.toInstant() : m.toInstant();
  }

  /** Go's filepath.Clean of a tar name, relative: leading slashes dropped, "." for nothing left. */
  static String clean(String name) {
    var parts = new ArrayList<String>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!parts.isEmpty() && !parts.getLast().equals("..")) {
          parts.removeLast();
        } else if (!name.startsWith("/")) {
          parts.add("..");
        }
        continue;
      }
      parts.add(c);
    }
    return parts.isEmpty() ? "." : String.join("/", parts);
  }

  /** The name quoted as Go's %q would, for the layer messages. */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String join(String dir, List<String> names) {
    var sb = new StringBuilder(dir.equals("/") ? "" : dir);
    for (String n : names) {
      sb.append('/').append(n);
    }
    return sb.isEmpty() ? "/" : sb.toString();
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
