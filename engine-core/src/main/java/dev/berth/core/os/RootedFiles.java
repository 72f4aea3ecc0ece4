package dev.berth.core.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * File operations relative to directory descriptors, for trees whose content is hostile (a
 * container's root filesystem, which the container changes while we work in it).
 *
 * <p>Two rules make that safe. A path handed to the kernel is either resolved by openat2 with
 * {@code RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS} against the tree's root descriptor, so {@code ..}
 * and absolute symlinks stop at that root and procfs magic links are refused ({@link #openInRoot}),
 * or it is a single name relative to a directory descriptor and is never followed if it is a
 * symlink (every {@code name} parameter here; a slash or {@code ..} in it is refused). Metadata is
 * then changed on a descriptor of the object itself ({@code AT_EMPTY_PATH}, or the caller's own
 * {@code /proc/self/fd/N}, which names exactly that object), so nothing is looked up twice.
 *
 * <p>Failures that are ordinary when walking a tree (no such entry, not a directory, a symlink
 * where none is followed) come back as a negative errno from the {@code try} methods; the others
 * throw {@link ErrnoException}.
 */
public final class RootedFiles {

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NOCTTY = 0400;
  public static final int O_NONBLOCK = 04000;
  public static final int O_DIRECTORY = 0200000;
  public static final int O_NOFOLLOW = 0400000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;

  public static final int ENOENT = 2;
  public static final int ENOTDIR = 20;
  public static final int ELOOP = 40;
  private static final int EAGAIN = 11;
  private static final int ENODATA = 61;
  private static final int ERANGE = 34;
  private static final int EXDEV = 18;
  private static final int ENOSYS = 38;
  private static final int EOPNOTSUPP = 95;

  public static final int S_IFMT = 0170000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_IN_ROOT = 0x10;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int AT_REMOVEDIR = 0x200;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_SIZE = 256;
  private static final long SYS_OPENAT2 = 437; // the same number on x86-64 and arm64
  private static final long SYS_GETDENTS64 = "aarch64".equals(System.getProperty("os.arch")) ? 61 : 217;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  // openat2 has no glibc wrapper; syscall(2) is variadic.
  private static final MethodHandle OPENAT2 = LINKER.downcallHandle(find("syscall"),
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), ERRNO,
      Linker.Option.firstVariadicArg(1));
  private static final MethodHandle GETDENTS64 = LINKER.downcallHandle(find("syscall"),
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO,
      Linker.Option.firstVariadicArg(1));
  private static final MethodHandle OPENAT = handle("openat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  private static final MethodHandle OPEN = handle("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  private static final MethodHandle STATX = handle("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
  private static final MethodHandle READLINKAT = handle("readlinkat", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle MKDIRAT = handle("mkdirat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle MKNODAT = handle("mknodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
  private static final MethodHandle SYMLINKAT = handle("symlinkat", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
  private static final MethodHandle LINKAT = handle("linkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle UNLINKAT = handle("unlinkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle RENAMEAT = handle("renameat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
  private static final MethodHandle FCHOWNAT = handle("fchownat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
      JAVA_INT);
  private static final MethodHandle FCHMOD = handle("fchmod", JAVA_INT, JAVA_INT, JAVA_INT);
  private static final MethodHandle CHMOD = handle("chmod", JAVA_INT, ADDRESS, JAVA_INT);
  private static final MethodHandle UTIMENSAT = handle("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
  private static final MethodHandle SETXATTR = handle("setxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG,
      JAVA_INT);
  private static final MethodHandle FSETXATTR = handle("fsetxattr", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG,
      JAVA_INT);
  private static final MethodHandle GETXATTR = handle("getxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle FGETXATTR = handle("fgetxattr", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle LISTXATTR = handle("listxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
  private static final MethodHandle FLISTXATTR = handle("flistxattr", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle COPY_FILE_RANGE = handle("copy_file_range", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT,
      ADDRESS, JAVA_LONG, JAVA_INT);
  private static final MethodHandle SENDFILE = handle("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle READ = handle("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  private static final MethodHandle WRITE = handle("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

  /** Makes this class's handles now (initialising the class does): see {@link Downcalls}. */
  static void link() {
    // nothing more
  }

  private RootedFiles() {}

  /** What statx says of a file. */
  public record Stat(int mode, int uid, int gid, long size, Instant atime, Instant mtime, long ino, long dev,
      int nlink, int rdevMajor, int rdevMinor) {

    public int type() {
      return mode & S_IFMT;
    }

    public boolean isDirectory() {
      return type() == S_IFDIR;
    }

    public boolean isSymlink() {
      return type() == S_IFLNK;
    }

    public boolean isRegular() {
      return type() == S_IFREG;
    }
  }

  /** The start of a tree: an {@code O_PATH} descriptor of a host directory the engine trusts. */
  public static int openDirectory(Path hostDir) {
    return openHostDirectory(hostDir, 0);
  }

  /**
   * {@link #openDirectory(Path)}, refusing {@code hostDir} itself if it is a symlink ({@code O_NOFOLLOW}):
   * for a directory the engine made whose content others change (a volume's data).
   */
  public static int openDirectoryNoFollow(Path hostDir) {
    return openHostDirectory(hostDir, O_NOFOLLOW);
  }

  private static int openHostDirectory(Path hostDir, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(hostDir.toString()),
          O_PATH | O_DIRECTORY | O_CLOEXEC | flags, 0);
      if (fd < 0) {
        throw new ErrnoException("open " + hostDir, LibC.errno(state));
      }
      return fd;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /** An {@code O_PATH} descriptor of a host file or directory the engine trusts (a volume, a bind source). */
  public static int tryOpenHost(Path host) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(host.toString()), O_PATH | O_CLOEXEC, 0);
      return fd < 0 ? -LibC.errno(state) : fd;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * openat2 with {@code RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS}: {@code path} is resolved as if
   * {@code rootFd} were {@code /}, whatever symlinks and {@code ..} it meets; the kernel retries
   * a lookup that raced a rename. Close-on-exec is always added.
   *
   * @return the descriptor, or a negative errno
   */
  public static int tryOpenInRoot(int rootFd, String path, int flags, int mode) {
    return openat2(rootFd, path, flags, mode, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
  }

  /** {@link #tryOpenInRoot} that throws. */
  public static int openInRoot(int rootFd, String path, int flags, int mode) {
    int fd = tryOpenInRoot(rootFd, path, flags, mode);
    if (fd < 0) {
      throw new ErrnoException("openat2 " + path, -fd);
    }
    return fd;
  }

  /**
   * One entry of a directory, never following it if it is a symlink ({@code O_NOFOLLOW}; with
   * {@code O_PATH} that gives a descriptor of the link itself) and never crossing a magic link.
   *
   * @return the descriptor, or a negative errno ({@code -ENOENT}, {@code -ENOTDIR}, {@code -ELOOP})
   */
  public static int tryOpenAt(int dirFd, String name, int flags, int mode) {
    checkName(name);
    return openat2(dirFd, name, flags | O_NOFOLLOW, mode, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS);
  }

  /** {@link #tryOpenAt} that throws. */
  public static int openAt(int dirFd, String name, int flags, int mode) {
    int fd = tryOpenAt(dirFd, name, flags, mode);
    if (fd < 0) {
      throw new ErrnoException("openat " + name, -fd);
    }
    return fd;
  }

  /**
   * Opens the very object {@code fd} refers to again, for reading (an {@code O_PATH} descriptor
   * cannot be read). Through our own {@code /proc/self/fd}, whose magic link names that object, so
   * no name in the tree is looked up.
   */
  public static int reopen(int fd, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int n = (int) OPEN.invokeExact(state, self(arena, fd), flags | O_CLOEXEC | O_NOCTTY, 0);
      if (n < 0) {
        throw new ErrnoException("reopen", LibC.errno(state));
      }
      return n;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  private static int openat2(int dirFd, String path, int flags, int mode, long resolve) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment how = arena.allocate(24, 8);
      how.set(JAVA_LONG, 0, (long) (flags | O_CLOEXEC));
      how.set(JAVA_LONG, 8, (flags & O_CREAT) != 0 ? mode : 0);
      how.set(JAVA_LONG, 16, resolve);
      MemorySegment p = arena.allocateFrom(path.isEmpty() ? "." : path);
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        long fd = (long) OPENAT2.invokeExact(state, SYS_OPENAT2, dirFd, p, how, 24L);
        if (fd >= 0) {
          return (int) fd;
        }
        int errno = LibC.errno(state);
        // EAGAIN: a rename or mount raced a ".." of the lookup; the kernel asks to try again.
        if (errno != EAGAIN && errno != ErrnoException.EINTR) {
          return -errno;
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * lstat of {@code name} in {@code dirFd}, or of {@code dirFd} itself when {@code name} is empty.
   *
   * @return null if there is no such entry (or a component is no directory)
   */
  public static Stat stat(int dirFd, String name) {
    if (!name.isEmpty()) {
      checkName(name);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(STATX_SIZE, 8);
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) STATX.invokeExact(state, dirFd, arena.allocateFrom(name),
          AT_SYMLINK_NOFOLLOW | (name.isEmpty() ? AT_EMPTY_PATH : 0), STATX_BASIC_STATS, buf);
      if (rc != 0) {
        int errno = LibC.errno(state);
        if (errno == ENOENT || errno == ENOTDIR) {
          return null;
        }
        throw new ErrnoException("statx " + name, errno);
      }
      return new Stat(buf.get(JAVA_SHORT, 28) & 0xffff, buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24),
          buf.get(JAVA_LONG, 40), time(buf, 64), time(buf, 112), buf.get(JAVA_LONG, 32),
          ((long) buf.get(JAVA_INT, 136) << 32) | (buf.get(JAVA_INT, 140) & 0xffffffffL), buf.get(JAVA_INT, 16),
          buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132));
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  private static Instant time(MemorySegment buf, long offset) {
    return Instant.ofEpochSecond(buf.get(JAVA_LONG, offset), buf.get(JAVA_INT, offset + 8) & 0xffffffffL);
  }

  /** The target of the symlink {@code fd} refers to (an {@code O_PATH | O_NOFOLLOW} descriptor of it). */
  public static String readlink(int fd) {
    String target = tryReadlink(fd);
    if (target == null) {
      throw new ErrnoException("readlinkat", ENOENT);
    }
    return target;
  }

  /** {@link #readlink}, or null for a link that reads as nothing (procfs's {@code self} seen from outside its PID namespace). */
  public static String tryReadlink(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      for (long size = 256; ; size *= 4) {
        MemorySegment buf = arena.allocate(size);
        MemorySegment state = LibC.captureState(arena);
        long n = (long) READLINKAT.invokeExact(state, fd, arena.allocateFrom(""), buf, size);
        if (n < 0) {
          int errno = LibC.errno(state);
          if (errno == ENOENT) {
            return null;
          }
          throw new ErrnoException("readlinkat", errno);
        }
        if (n < size) {
          return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * The names in a directory, without {@code .} and {@code ..}, in the order the file system gives
   * them; none for a directory removed meanwhile.
   */
  public static List<String> list(int dirFd) {
    int fd = openat2(dirFd, ".", O_RDONLY | O_DIRECTORY, 0, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    if (fd == -ENOENT) {
      return List.of();
    }
    if (fd < 0) {
      throw new ErrnoException("open directory", -fd);
    }
    var names = new ArrayList<String>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(32768, 8);
      MemorySegment state = LibC.captureState(arena);
      while (true) {
        long n = (long) GETDENTS64.invokeExact(state, SYS_GETDENTS64, fd, buf, 32768L);
        if (n < 0) {
          int errno = LibC.errno(state);
          if (errno == ENOENT) {
            return names;
          }
          throw new ErrnoException("getdents64", errno);
        }
        if (n == 0) {
          return names;
        }
        for (long off = 0; off < n; ) {
          int reclen = buf.get(JAVA_SHORT, off + 16) & 0xffff;
          MemorySegment name = buf.asSlice(off + 19, reclen - 19);
          String s = name.getString(0, StandardCharsets.UTF_8);
          if (!s.equals(".") && !s.equals("..")) {
            names.add(s);
          }
          off += reclen;
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    } finally {
      Fd.close(fd);
    }
  }

  public static void mkdir(int dirFd, String name, int mode) {
    checkName(name);
    call("mkdirat " + name, (a, s) -> (int) MKDIRAT.invokeExact(s, dirFd, a.allocateFrom(name), mode));
  }

  /** mknodat(2); {@code mode} carries the type (S_IFCHR, S_IFBLK, S_IFIFO) and the permission bits. */
  public static void mknod(int dirFd, String name, int mode, int major, int minor) {
    checkName(name);
    long dev = makedev(major, minor);
    call("mknodat " + name, (a, s) -> (int) MKNODAT.invokeExact(s, dirFd, a.allocateFrom(name), mode, dev));
  }

  public static void symlink(String target, int dirFd, String name) {
    checkName(name);
    call("symlinkat " + name, (a, s) -> (int) SYMLINKAT.invokeExact(s, a.allocateFrom(target), dirFd,
        a.allocateFrom(name)));
  }

  /** A hard link to the very object {@code fd} refers to (linkat with AT_EMPTY_PATH; needs CAP_DAC_READ_SEARCH). */
  public static void link(int fd, int dirFd, String name) {
    checkName(name);
    call("linkat " + name, (a, s) -> (int) LINKAT.invokeExact(s, fd, a.allocateFrom(""), dirFd, a.allocateFrom(name),
        AT_EMPTY_PATH));
  }

  /** Removes an entry; a directory must be empty. */
  public static void unlink(int dirFd, String name, boolean directory) {
    checkName(name);
    call("unlinkat " + name, (a, s) -> (int) UNLINKAT.invokeExact(s, dirFd, a.allocateFrom(name),
        directory ? AT_REMOVEDIR : 0));
  }

  public static void rename(int fromDir, String from, int toDir, String to) {
    checkName(from);
    checkName(to);
    call("renameat " + to, (a, s) -> (int) RENAMEAT.invokeExact(s, fromDir, a.allocateFrom(from), toDir,
        a.allocateFrom(to)));
  }

  /** Owner of the object {@code fd} refers to; a symlink's own owner for a descriptor of a link. */
  public static void chown(int fd, int uid, int gid) {
    call("fchownat", (a, s) -> (int) FCHOWNAT.invokeExact(s, fd, a.allocateFrom(""), uid, gid,
        AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
  }

  /** Permission bits of the object {@code fd} refers to, even an {@code O_PATH} one (never a symlink). */
  public static void chmod(int fd, int mode) {
    call("fchmod", (a, s) -> {
      int rc = (int) FCHMOD.invokeExact(s, fd, mode);
      // O_PATH descriptors refuse fchmod (EBADF); our own /proc/self/fd/N names the same object.
      return rc == 0 || LibC.errno(s) != 9 ? rc : (int) CHMOD.invokeExact(s, self(a, fd), mode);
    });
  }

  /** Times of the object {@code fd} refers to, a symlink's own for a descriptor of a link; never opens it. */
  public static void setTimes(int fd, Instant mtime, Instant atime) {
    call("utimensat", (a, s) -> {
      MemorySegment times = a.allocate(JAVA_LONG, 4);
      times.setAtIndex(JAVA_LONG, 0, atime.getEpochSecond());
      times.setAtIndex(JAVA_LONG, 1, atime.getNano());
      times.setAtIndex(JAVA_LONG, 2, mtime.getEpochSecond());
      times.setAtIndex(JAVA_LONG, 3, mtime.getNano());
      return (int) UTIMENSAT.invokeExact(s, fd, a.allocateFrom(""), times, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    });
  }

  /**
   * An extended attribute of the object {@code fd} refers to. fsetxattr refuses {@code O_PATH}
   * descriptors, so those go through our own {@code /proc/self/fd/N}, which for a descriptor of a
   * symlink sets the link's own attribute.
   */
  public static void setXattr(int fd, boolean pathOnly, String name, byte[] value) {
    call("setxattr " + name, (a, s) -> {
      MemorySegment v = value.length == 0 ? a.allocate(1) : a.allocateFrom(JAVA_BYTE, value);
      return pathOnly
          ? (int) SETXATTR.invokeExact(s, self(a, fd), a.allocateFrom(name), v, (long) value.length, 0)
          : (int) FSETXATTR.invokeExact(s, fd, a.allocateFrom(name), v, (long) value.length, 0);
    });
  }

  /** An extended attribute of the object {@code fd} refers to; empty if it has none. */
  public static Optional<byte[]> getXattr(int fd, boolean pathOnly, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      MemorySegment n = arena.allocateFrom(name);
      MemorySegment path = pathOnly ? self(arena, fd) : MemorySegment.NULL;
      for (long size = 256; ; size = 65536) {
        MemorySegment buf = arena.allocate(size);
        long len = pathOnly ? (long) GETXATTR.invokeExact(state, path, n, buf, size)
            : (long) FGETXATTR.invokeExact(state, fd, n, buf, size);
        if (len >= 0) {
          return Optional.of(buf.asSlice(0, len).toArray(JAVA_BYTE));
        }
        int errno = LibC.errno(state);
        if (errno == ENODATA) {
          return Optional.empty();
        }
        if (errno != ERANGE || size == 65536) {
          throw new ErrnoException("getxattr " + name, errno);
        }
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * The names of the extended attributes of the object {@code fd} refers to; as for
   * {@link #setXattr}, an {@code O_PATH} descriptor goes through our own {@code /proc/self/fd/N},
   * which for a descriptor of a symlink lists the link's own.
   */
  public static List<String> listXattrs(int fd, boolean pathOnly) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      MemorySegment path = pathOnly ? self(arena, fd) : MemorySegment.NULL;
      // 64 KiB is the kernel's limit for a list (XATTR_LIST_MAX).
      MemorySegment buf = arena.allocate(65536);
      long n = pathOnly ? (long) LISTXATTR.invokeExact(state, path, buf, 65536L)
          : (long) FLISTXATTR.invokeExact(state, fd, buf, 65536L);
      if (n < 0) {
        throw new ErrnoException("listxattr", LibC.errno(state));
      }
      var names = new ArrayList<String>();
      byte[] all = buf.asSlice(0, n).toArray(JAVA_BYTE);
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == 0) {
          names.add(new String(all, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return names;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Copies everything from the current offset of {@code from} to its end into {@code to}, in the
   * kernel: copy_file_range (which may share extents), or sendfile where the two files are on file
   * systems it cannot copy between, as the JDK's Files.copy does.
   *
   * @return the byte count
   */
  public static long copyContent(int from, int to) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      long total = 0;
      boolean ranges = true;
      while (true) {
        long n = ranges
            ? (long) COPY_FILE_RANGE.invokeExact(state, from, MemorySegment.NULL, to, MemorySegment.NULL, 1L << 30, 0)
            : (long) SENDFILE.invokeExact(state, to, from, MemorySegment.NULL, 1L << 30);
        if (n == 0) {
          return total;
        }
        if (n > 0) {
          total += n;
          continue;
        }
        int errno = LibC.errno(state);
        if (errno == ErrnoException.EINTR) {
          continue;
        }
        if (ranges && total == 0 && (errno == EXDEV || errno == ErrnoException.EINVAL || errno == ENOSYS
            || errno == EOPNOTSUPP)) {
          ranges = false;
          continue;
        }
        throw new ErrnoException(ranges ? "copy_file_range" : "sendfile", errno);
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  /**
   * Copies a stream into {@code fd} and from {@code fd} into a stream through one native buffer;
   * for one thread at a time. Its memory goes with the object, closed or not.
   */
  public static final class Transfer {

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = LibC.captureState(arena);
    private final MemorySegment buf;
    private final byte[] bytes;

    public Transfer(int size) {
      this.buf = arena.allocate(size);
      this.bytes = new byte[size];
    }

    /** Everything {@code in} has, written to {@code fd}; the byte count. */
    public long write(InputStream in, int fd) throws IOException {
      long total = 0;
      while (true) {
        int n = in.read(bytes);
        if (n < 0) {
          return total;
        }
        MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, n);
        long off = 0;
        while (off < n) {
          long w;
          try {
            w = (long) WRITE.invokeExact(state, fd, buf.asSlice(off), (long) n - off);
          } catch (Throwable t) {
            throw LibC.propagate(t);
          }
          if (w < 0) {
            int errno = LibC.errno(state);
            if (errno == ErrnoException.EINTR) {
              continue;
            }
            throw new ErrnoException("write", errno);
          }
          off += w;
        }
        total += n;
      }
    }

    /** Up to {@code max} bytes of {@code fd} into {@code out}, fewer at end of file; the count copied. */
    public long read(int fd, OutputStream out, long max) throws IOException {
      long total = 0;
      while (total < max) {
        long r;
        try {
          r = (long) READ.invokeExact(state, fd, buf, Math.min(buf.byteSize(), max - total));
        } catch (Throwable t) {
          throw LibC.propagate(t);
        }
        if (r < 0) {
          int errno = LibC.errno(state);
          if (errno == ErrnoException.EINTR) {
            continue;
          }
          throw new ErrnoException("read", errno);
        }
        if (r == 0) {
          break;
        }
        MemorySegment.copy(buf, JAVA_BYTE, 0, bytes, 0, (int) r);
        out.write(bytes, 0, (int) r);
        total += r;
      }
      return total;
    }
  }

  /** A name is one directory entry: no slash, not {@code .} or {@code ..}, not empty. */
  static void checkName(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a single name: \"" + name + "\"");
    }
  }

  private static MemorySegment self(Arena arena, int fd) {
    return arena.allocateFrom("/proc/self/fd/" + fd);
  }

  @FunctionalInterface
  private interface Call {
    int invoke(Arena arena, MemorySegment state) throws Throwable;
  }

  private static void call(String what, Call c) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      if (c.invoke(arena, state) != 0) {
        throw new ErrnoException(what, LibC.errno(state));
      }
    } catch (Throwable t) {
      throw LibC.propagate(t);
    }
  }

  private static MethodHandle handle(String name, MemoryLayout ret, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(ret, args), ERRNO);
  }

  private static MemorySegment find(String name) {
    return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
  }

  /** glibc's makedev encoding. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
  }
}
