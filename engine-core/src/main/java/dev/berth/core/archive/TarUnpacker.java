package dev.berth.core.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.fs.GoPath;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a tar into a directory of an {@link ExtractTarget} the way dockerd extracts {@code docker
 * cp} uploads (go-archive {@code Unpack}, run chrooted into the container): every path is resolved
 * inside the target, so a symlink in the target or in the tar never reaches anything outside; an
 * entry whose name climbs out, a symlink whose relative target climbs out, and a hard link to
 * outside are refused. A regular file is written under a temporary name and renamed into place,
 * so no reader (and no later start) ever sees it half-written.
 */
public final class TarUnpacker {

  private static final String SCHILY_XATTR = "SCHILY.xattr.";
  private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
  private static final int ENOTSUP = 95;
  private static final int EPERM = 1;

  /**
   * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory and vice versa
   * @param uid owner for everything written, or -1 to keep the tar's
   * @param gid group for everything written, or -1 to keep the tar's
   */
  public record Options(boolean noOverwriteDirNonDir, int uid, int gid) {}

  private record Dir(Path host, Instant mtime, Instant atime) {}

  private final ExtractTarget target;
  private final String dest;
  private final Options options;
  private final List<Dir> dirs = new ArrayList<>();

  private TarUnpacker(ExtractTarget target, String dest, Options options) {
    this.target = target;
    this.dest = dest;
    this.options = options;
  }

  /** @param dest the extraction directory, already resolved ({@link ExtractTarget#resolve}) */
  public static void unpack(InputStream tarStream, ExtractTarget target, String dest, Options options) {
    var u = new TarUnpacker(target, dest, options);
    var tar = new TarArchiveInputStream(tarStream);
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
        u.entry(e, tar);
      }
      for (Dir d : u.dirs) {
        FileNodes.setTimes(d.host(), d.mtime(), d.atime());
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private void entry(TarArchiveEntry e, InputStream data) throws IOException {
    if (e.isGlobalPaxHeader()) {
      return;
    }
    String name = clean(e.getName());
    if (name.equals("..") || name.startsWith("../")) {
      throw new InvalidArgumentException("\"" + name + "\" is outside of \"" + dest + "\"");
    }
    String joined = join(dest, name);
    String parentResolved = makeParents(joined);
    String base = joined.substring(joined.lastIndexOf('/') + 1);
    String resolved = joined.equals(dest) ? dest : join(parentResolved, base);
    target.checkWritable(parentResolved);
    Path host = target.host(resolved);
    BasicFileAttributes existing = lstat(host);
    if (existing != null) {
      if (options.noOverwriteDirNonDir() && existing.isDirectory() && !e.isDirectory()) {
        throw new InvalidArgumentException("cannot overwrite directory \"" + joined + "\" with non-directory \"" + dest
            + "\"");
      }
      if (options.noOverwriteDirNonDir() && !existing.isDirectory() && e.isDirectory()) {
        throw new InvalidArgumentException("cannot overwrite non-directory \"" + joined + "\" with directory \"" + dest
            + "\"");
      }
      if (existing.isDirectory() && name.equals(".")) {
        return;
      }
      if (existing.isDirectory() && !e.isDirectory()) {
        FileTrees.delete(host);
      } else if (!existing.isDirectory() && !isRegular(e)) {
        Files.delete(host);
      }
    }
    if (e.isDirectory()) {
      if (lstat(host) == null) {
        Files.createDirectory(host);
      }
    } else if (e.isSymbolicLink()) {
      String linkTarget = GoPath.join(parentOf(joined), e.getLinkName());
      if (!linkTarget.startsWith(dest)) {
        throw new InvalidArgumentException("invalid symlink \"" + joined + "\" -> \"" + e.getLinkName() + "\"");
      }
      Files.createSymbolicLink(host, Path.of(e.getLinkName()));
    } else if (e.isLink()) {
      String linkTarget = GoPath.join(dest, e.getLinkName());
      if (!linkTarget.startsWith(dest)) {
        throw new InvalidArgumentException("invalid hardlink \"" + linkTarget + "\" -> \"" + e.getLinkName() + "\"");
      }
      Path source = target.host(target.resolve(linkTarget, false));
      if (lstat(source) == null || Files.isDirectory(source, NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException("invalid hardlink \"" + linkTarget + "\" -> \"" + e.getLinkName() + "\"");
      }
      Files.createLink(host, source);
      return;
    } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      int type = e.isFIFO() ? FileNodes.S_IFIFO : e.isCharacterDevice() ? FileNodes.S_IFCHR : FileNodes.S_IFBLK;
      FileNodes.mknod(host, type, e.getMode(), e.getDevMajor(), e.getDevMinor());
    } else if (isRegular(e)) {
      writeFile(host, data, e);
      return;
    } else {
      throw new InvalidArgumentException("unhandled tar header type " + e.getLinkFlag());
    }
    finish(host, e);
    if (e.isDirectory()) {
      dirs.add(new Dir(host, e.getLastModifiedTime().toInstant(), atime(e)));
    }
  }

  /** Owner (the tar's or the override), then xattrs and mode, then times; never following a link. */
  private void finish(Path host, TarArchiveEntry e) throws IOException {
    Files.setAttribute(host, "unix:uid", options.uid() >= 0 ? options.uid() : (int) e.getLongUserId(), NOFOLLOW_LINKS);
    Files.setAttribute(host, "unix:gid", options.gid() >= 0 ? options.gid() : (int) e.getLongGroupId(), NOFOLLOW_LINKS);
    setXattrs(host, e);
    if (!e.isSymbolicLink()) {
      // After chown: changing the owner clears setuid and setgid.
      Files.setAttribute(host, "unix:mode", e.getMode() & 07777);
    }
    if (!e.isDirectory()) {
      FileNodes.setTimes(host, e.getLastModifiedTime().toInstant(), atime(e));
    }
  }

  /** Written beside its final name, then renamed over it: the file is either the old one or complete. */
  private void writeFile(Path host, InputStream data, TarArchiveEntry e) throws IOException {
    Path tmp = host.resolveSibling(".berth-cp-" + UUID.randomUUID());
    try {
      // CREATE_NEW is O_EXCL: it never follows a link someone placed under that name.
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        data.transferTo(out);
      }
      finish(tmp, e);
      Files.move(tmp, host, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Resolves the parent of {@code path} inside the target, making missing directories on the
   * way (0755, as go-archive's implied directories) and returns it resolved.
   */
  private String makeParents(String path) throws IOException {
    String parent = parentOf(path);
    if (!parent.startsWith(dest) || parent.length() < dest.length()) {
      return target.resolve(dest, true);
    }
    String current = dest;
    String rest = parent.substring(dest.length());
    for (String part : rest.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String next = target.resolve(join(current, part), true);
      mkdirs(next);
      current = next;
    }
    return current;
  }

  /** Makes each missing directory of a resolved path, whose existing components are directories. */
  private void mkdirs(String resolved) throws IOException {
    String current = "/";
    for (String part : resolved.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String next = join(current, part);
      Path host = target.host(next);
      BasicFileAttributes a = lstat(host);
      if (a == null) {
        target.checkWritable(current);
        Files.createDirectory(host);
        Files.setAttribute(host, "unix:mode", 0755);
        if (options.uid() >= 0) {
          Files.setAttribute(host, "unix:uid", options.uid(), NOFOLLOW_LINKS);
          Files.setAttribute(host, "unix:gid", options.gid(), NOFOLLOW_LINKS);
        }
      } else if (!a.isDirectory()) {
        throw new InvalidArgumentException("not a directory: " + next);
      }
      current = next;
    }
  }

  private void setXattrs(Path p, TarArchiveEntry e) {
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
          continue;
        }
      } else {
        continue;
      }
      // overlay's own attributes would redirect lookups in the container's layers: never from a tar.
      if (name.isEmpty() || name.startsWith("trusted.overlay.")) {
        continue;
      }
      try {
        FileNodes.setXattr(p, name, value);
      } catch (ErrnoException ex) {
        if (ex.errno() != ENOTSUP && ex.errno() != EPERM) {
          throw ex;
        }
      }
    }
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte f = e.getLinkFlag();
    return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG || e.isSparse();
  }

  private static Instant atime(TarArchiveEntry e) {
    FileTime a = e.getLastAccessTime();
    FileTime m = e.getLastModifiedTime();
    return a != null && a.compareTo(m) > 0 ? a.toInstant() : m.toInstant();
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
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

  private static String join(String dir, String name) {
    if (name.equals(".")) {
      return dir;
    }
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
